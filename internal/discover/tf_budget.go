package discover

import (
	"errors"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// tfBudget is how much work evaluating one expression (a local, a
// variable's value, a manifest field) may take, in units of roughly one
// byte or one collection element produced or read (well under a second's
// work); tfTotalBudget bounds the sum over all the modules of a checkout. A few HCL lines can ask for far more than any real
// configuration does (a for expression over a for expression, a local
// doubling another local, indent(999999999, ...)); the budget turns those
// into a not-analyzed problem instead of a hang.
const (
	tfBudget      = 1 << 21
	tfTotalBudget = 1 << 25
)

var errTFBudget = errors.New("it would take more work than syncdoctor allows for one expression (a very large or exponentially growing value)")

// tfMeter counts the work left for the expression being evaluated and,
// through shared, for the whole checkout.
type tfMeter struct {
	left   int64
	shared *int64
}

// start gives the next expression its own budget, so one costly
// expression does not starve its neighbours (until the total runs out).
func (mt *tfMeter) start() {
	mt.left = min(tfBudget, *mt.shared)
}

func (mt *tfMeter) charge(n int64) error {
	if n > mt.left || n > *mt.shared {
		mt.left = 0
		return errTFBudget
	}
	mt.left -= n
	*mt.shared -= n
	return nil
}

// valueSize measures v (string bytes plus one per element), stopping once
// it exceeds limit.
func valueSize(v cty.Value, limit int64) int64 {
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return 1
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return 1 + int64(len(v.AsString()))
	case ty.IsPrimitiveType():
		return 1
	case ty.IsCollectionType() || ty.IsObjectType() || ty.IsTupleType() || ty.IsCapsuleType():
		if ty.IsCapsuleType() {
			return 1
		}
		n := int64(1)
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			n += valueSize(k, limit-n) + valueSize(e, limit-n)
			if n > limit {
				return n
			}
		}
		return n
	}
	return 1
}

// meteredExpr charges the meter for every evaluation of a for
// expression's body (one per element) and for what it produces.
// Embedding keeps it an hclsyntax.Expression.
type meteredExpr struct {
	hclsyntax.Expression
	meter *tfMeter
}

// Value evaluates the wrapped expression within the budget.
func (e *meteredExpr) Value(ctx *hcl.EvalContext) (cty.Value, hcl.Diagnostics) {
	if err := e.meter.charge(1); err != nil {
		return cty.DynamicVal, budgetDiag(e.Range())
	}
	v, diags := e.Expression.Value(ctx)
	if err := e.meter.charge(valueSize(v, e.meter.left)); err != nil {
		return cty.DynamicVal, append(diags, budgetDiag(e.Range())...)
	}
	return v, diags
}

func budgetDiag(r hcl.Range) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Too costly to evaluate", Detail: errTFBudget.Error(), Subject: r.Ptr()}}
}

// meterForExprs wraps the bodies of every for expression in body.
func meterForExprs(body *hclsyntax.Body, mt *tfMeter) {
	wrap := func(e *hclsyntax.Expression) {
		if *e == nil {
			return
		}
		if _, done := (*e).(*meteredExpr); !done {
			*e = &meteredExpr{Expression: *e, meter: mt}
		}
	}
	_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		if f, ok := n.(*hclsyntax.ForExpr); ok {
			wrap(&f.KeyExpr)
			wrap(&f.ValExpr)
			wrap(&f.CondExpr)
		}
		return nil
	})
}

// meteredFunc charges the meter for a call's arguments, for what the
// function may produce beyond them (indent's padding, join's separators,
// a regular expression replacement, format widths), and for its result.
func meteredFunc(name string, f function.Function, mt *tfMeter) function.Function {
	return function.New(&function.Spec{
		Params:   f.Params(),
		VarParam: f.VarParam(),
		Type:     f.ReturnTypeForValues,
		Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
			cost := int64(1) + amplification(name, args, mt.left)
			for _, a := range args {
				cost += valueSize(a, mt.left)
			}
			if err := mt.charge(cost); err != nil {
				return cty.UnknownVal(retType), err
			}
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			if err := mt.charge(valueSize(v, mt.left)); err != nil {
				return cty.UnknownVal(retType), err
			}
			return v, nil
		},
	})
}

// amplification bounds the output a function call makes beyond the size
// of its arguments.
func amplification(name string, args []cty.Value, limit int64) int64 {
	known := func(v cty.Value) bool { return v.IsKnown() && !v.IsNull() }
	switch name {
	case "indent":
		if len(args) == 2 && known(args[0]) && known(args[1]) && args[1].Type() == cty.String {
			lines := int64(strings.Count(args[1].AsString(), "\n") + 1)
			return mulCapped(bigCapped(args[0].AsBigFloat(), limit), lines, limit)
		}
	case "join":
		if len(args) >= 2 && known(args[0]) && args[0].Type() == cty.String {
			n := int64(0)
			for _, l := range args[1:] {
				n += valueSize(l, limit)
			}
			return mulCapped(int64(len(args[0].AsString())), n, limit)
		}
	case "replace":
		if len(args) == 3 && known(args[0]) && known(args[2]) {
			return mulCapped(valueSize(args[0], limit), valueSize(args[2], limit), limit)
		}
	case "format", "formatlist":
		if len(args) >= 1 && known(args[0]) && args[0].Type() == cty.String {
			n := int64(1)
			for _, a := range args[1:] {
				n += valueSize(a, limit)
			}
			return mulCapped(maxNumber(args[0].AsString(), limit), n, limit)
		}
	}
	return 0
}

func bigCapped(f *big.Float, limit int64) int64 {
	if f.Sign() <= 0 {
		return 0
	}
	if f.Cmp(big.NewFloat(float64(limit))) > 0 {
		return limit + 1
	}
	n, _ := f.Int64()
	return n
}

func mulCapped(a, b, limit int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > limit/b {
		return limit + 1
	}
	return a * b
}

// maxNumber is the largest run of digits in a format string: the widest
// width or precision it may ask for.
func maxNumber(s string, limit int64) int64 {
	var best, cur int64
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] >= '0' && s[i] <= '9' {
			cur = cur*10 + int64(s[i]-'0')
			if cur > limit {
				cur = limit + 1
			}
			continue
		}
		best = max(best, cur)
		cur = 0
	}
	return best
}
