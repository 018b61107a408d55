package fix

import "github.com/zclconf/go-cty/cty"

func ctyString(s string) cty.Value { return cty.StringVal(s) }
