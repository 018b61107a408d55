// Package values models Helm values the way the renderer sees them and what
// chart templates read from them.
//
// Values: a Layer is one value file or inline source with the position of
// every key. Merge combines user layers as `helm template -f ... --set ...`
// does (later wins, maps merge, nulls kept); Coalesce then applies the
// chart's and subcharts' defaults as chartutil.CoalesceValues does (a user
// null deletes a defaulted key), and Effective tells where each value was
// set.
//
// Reads: IndexChart parses every template once (text/template/parse) and
// runs an abstract execution in which the dot and variables hold values
// paths, following include/template with the dot passed, with/range
// rebinding, $, variables, dict/list literals and tpl of literal text.
// Where exact analysis is impossible the index over-approximates, so a key
// is never reported unread while a template might read it:
//   - a value printed, ranged over, or given to toYaml or to any function not
//     modelled is read whole (every key below it);
//   - index/get/dig/pluck with a computed key reads the collection whole;
//   - tpl of a non-literal text reads the text and its context whole (the
//     root context: every key of the chart);
//   - include of a computed or undefined name reads its argument whole;
//   - a template that does not parse, include recursion deeper than 100 or
//     an exhausted step budget make the index incomplete: every path reads.
//
// The execution is path-insensitive: both branches of an if are walked and
// a variable assigned in one holds the union of its possible values.
package values
