package stacks

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/platformeng/eks-platform/constructs/iampolicy"
)

// decodeJSONEncode turns a synthesized "${jsonencode(<HCL value>)}" back into Go values, so that
// tests can inspect policies structurally. Terraform references and function calls (outside
// strings, or inside ${...} in strings) are kept as their source text.
func decodeJSONEncode(s string) (any, error) {
	const prefix, suffix = "${jsonencode(", ")}"
	if !strings.HasPrefix(s, prefix) || !strings.HasSuffix(s, suffix) {
		return nil, fmt.Errorf("not a jsonencode expression: %.80s", s)
	}
	in := s[len(prefix) : len(s)-len(suffix)]
	var out strings.Builder
	for i := 0; i < len(in); {
		c := in[i]
		switch {
		case c == '"':
			j := scanString(in, i)
			out.WriteString(quoteInner(in[i+1 : j-1]))
			i = j
		case c == '=':
			out.WriteByte(':')
			i++
		case strings.IndexByte("{}[], \n\t", c) >= 0:
			out.WriteByte(c)
			i++
		default: // a bare expression: literal, zipmap(), reference or function call
			j := scanExpr(in, i)
			word := strings.TrimSpace(in[i:j])
			switch {
			case word == "true" || word == "false" || word == "null" || strings.Trim(word, "0123456789.-") == "":
				out.WriteString(word)
			case strings.HasPrefix(word, `join("", [`) && strings.HasSuffix(word, "])"):
				// Concatenation: references read as their "${...}" string form.
				parts, err := decodeJSONEncode("${jsonencode(" + word[len(`join("", `):len(word)-1] + ")}")
				if err != nil {
					return nil, err
				}
				var b strings.Builder
				for _, p := range parts.([]any) {
					b.WriteString(fmt.Sprint(p))
				}
				out.WriteString(quoteInner(b.String()))
			case strings.HasPrefix(word, "zipmap(") && strings.HasSuffix(word, ")"):
				obj, err := decodeZipmap(word[len("zipmap(") : len(word)-1])
				if err != nil {
					return nil, err
				}
				out.WriteString(obj)
			default: // the same value Terraform's string form has
				out.WriteString(quoteInner("${" + word + "}"))
			}
			i = j
		}
	}
	var v any
	if err := json.Unmarshal([]byte(out.String()), &v); err != nil {
		return nil, fmt.Errorf("decode %q: %w", out.String(), err)
	}
	return v, nil
}

// decodeZipmap turns the arguments of zipmap([k...], [v...]) into a JSON object.
func decodeZipmap(args string) (string, error) {
	split := scanExpr(args, 0)
	var keys, values []any
	for i, part := range []string{args[:split], strings.TrimPrefix(strings.TrimSpace(args[split:]), ",")} {
		v, err := decodeJSONEncode("${jsonencode(" + strings.TrimSpace(part) + ")}")
		if err != nil {
			return "", err
		}
		l, ok := v.([]any)
		if !ok {
			return "", fmt.Errorf("zipmap argument %d is not a list: %s", i, part)
		}
		if i == 0 {
			keys = l
		} else {
			values = l
		}
	}
	if len(keys) != len(values) {
		return "", fmt.Errorf("zipmap with %d keys and %d values", len(keys), len(values))
	}
	obj := map[string]any{}
	for i, k := range keys {
		obj[fmt.Sprint(k)] = values[i]
	}
	b, err := json.Marshal(obj)
	return string(b), err
}

// scanString returns the index after the string that starts at in[i] == '"', skipping quotes
// inside ${...} interpolations.
func scanString(in string, i int) int {
	depth := 0
	for j := i + 1; j < len(in); j++ {
		switch {
		case in[j] == '\\':
			j++
		case strings.HasPrefix(in[j:], "${"):
			depth++
			j++
		case in[j] == '}' && depth > 0:
			depth--
		case in[j] == '"' && depth > 0:
			j = scanString(in, j) - 1
		case in[j] == '"':
			return j + 1
		}
	}
	return len(in)
}

// scanExpr returns the end of a bare expression: the next , ] } or space at nesting depth 0.
func scanExpr(in string, i int) int {
	depth := 0
	for j := i; j < len(in); j++ {
		switch c := in[j]; {
		case c == '"':
			j = scanString(in, j) - 1
		case c == '(' || c == '[' || c == '{':
			depth++
		case (c == ')' || c == ']' || c == '}') && depth > 0:
			depth--
		case depth == 0 && (c == ',' || c == ']' || c == '}' || c == ' ' || c == '\n'):
			return j
		}
	}
	return len(in)
}

// quoteInner makes raw HCL string content (which may hold unescaped quotes inside ${...}) a
// JSON string literal.
func quoteInner(raw string) string {
	b, _ := json.Marshal(strings.ReplaceAll(raw, `\"`, `"`))
	return string(b)
}

// policyOf decodes a policy attribute (a jsonencode expression) into a document.
func policyOf(t *testing.T, v any) iampolicy.Document {
	t.Helper()
	val, err := decodeJSONEncode(v.(string))
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	raw, _ := json.Marshal(val)
	var doc iampolicy.Document
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("policy %s: %v", raw, err)
	}
	return doc
}

func TestDecodeJSONEncode(t *testing.T) {
	tests := []struct{ in, want string }{
		{`${jsonencode({"a" = "b", "n" = 1, "t" = true})}`, `{"a":"b","n":1,"t":true}`},
		{`${jsonencode({"Resource" = aws_iam_role.r.arn, "L" = ["x", data.y.z[0].id]})}`, `{"L":["x","${data.y.z[0].id}"],"Resource":"${aws_iam_role.r.arn}"}`},
		{`${jsonencode({"c" = zipmap(["${a.b}:sub", "${a.b}:aud"], ["sa", "sts"])})}`, `{"c":{"${a.b}:aud":"sts","${a.b}:sub":"sa"}}`},
		{`${jsonencode({"c" = zipmap([join("", [replace(a.b, "https://", ""), ":sub"])], ["sa"])})}`, `{"c":{"${replace(a.b, \"https://\", \"\")}:sub":"sa"}}`},
		{`${jsonencode({"${replace(a.b, "https://", "")}:sub" = "system:serviceaccount:ns:sa"})}`, `{"${replace(a.b, \"https://\", \"\")}:sub":"system:serviceaccount:ns:sa"}`},
		{`${jsonencode({"arn" = "arn:${data.p.partition}:iam::x"})}`, `{"arn":"arn:${data.p.partition}:iam::x"}`},
	}
	for _, tt := range tests {
		v, err := decodeJSONEncode(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(v)
		if string(got) != tt.want {
			t.Errorf("decode(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
