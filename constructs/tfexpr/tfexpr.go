// Package tfexpr builds Terraform expressions that CDKTF renders correctly in both the JSON and
// the HCL output.
package tfexpr

import (
	"sort"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"
)

// JSONEncode is jsonencode(v) for a JSON-shaped value (maps, lists, strings) that may hold
// Terraform references. A JSON string with interpolations inside would break CDKTF's HCL
// output (it leaves the quotes unescaped); jsonencode() stays valid, readable HCL.
func JSONEncode(v any) *string { return cdktf.Fn_Jsonencode(TokenKeys(v)) }

// TokenKeys makes maps whose keys hold Terraform references (an IRSA condition on
// "<issuer>:sub", a Cloudflare zone resource) safe to encode: CDKTF cannot resolve a token in
// an object key, so such a map becomes zipmap(keys, values), whose lists it can resolve.
func TokenKeys(v any) any {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		tokens := false
		for k := range x {
			keys = append(keys, k)
			tokens = tokens || *cdktf.Token_IsUnresolved(k)
		}
		sort.Strings(keys)
		if !tokens {
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = TokenKeys(e)
			}
			return out
		}
		values := make([]any, len(keys))
		for i, k := range keys {
			values[i] = TokenKeys(x[k])
		}
		return cdktf.Fn_Zipmap(jsii.Strings(keys...), &values)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = TokenKeys(e)
		}
		return out
	}
	return v
}
