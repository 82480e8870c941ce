package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// decode parses data over Defaults(env). It returns the parsed document too, so that validation
// problems can be pointed at their lines; the document is nil for an empty file.
//
// The decoding itself is yaml.v3 with KnownFields(true). yaml.v3 reports unknown keys and type
// errors by line and Go type only ("field foo not found in type config.NodeGroup"), so the
// document is first checked against the struct shape to report them by YAML path instead.
func decode(file string, data []byte, env string) (Config, *yaml.Node, error) {
	c := Defaults(env)
	c.File = file
	fail := func(ps ...Problem) (Config, *yaml.Node, error) {
		return Config{}, nil, &ValidationError{File: file, Problems: ps}
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); errors.Is(err, io.EOF) {
		return c, nil, nil // empty or comments only: all defaults
	} else if err != nil {
		return fail(yamlProblems(err)...)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return fail(Problem{Line: extra.Line, Message: "a second YAML document starts here; a file holds exactly one environment, remove the '---' and what follows"})
	} else if !errors.Is(err, io.EOF) {
		return fail(yamlProblems(err)...)
	}

	var ps []Problem
	checkShape(&root, reflect.TypeFor[Config](), "", &ps)
	if len(ps) > 0 {
		return fail(ps...)
	}

	// The shape check skips aliases and merge keys; the strict decode still rejects anything
	// unknown behind them.
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return fail(yamlProblems(err)...)
	}
	return c, &root, nil
}

var yamlLineRe = regexp.MustCompile(`^line (\d+): (?s:(.*))$`)

// yamlProblems turns a yaml.v3 error into problems, keeping its line numbers.
func yamlProblems(err error) []Problem {
	var msgs []string
	prefix := "invalid YAML: "
	if terr := (*yaml.TypeError)(nil); errors.As(err, &terr) {
		msgs, prefix = terr.Errors, ""
	} else {
		msgs = []string{strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	ps := make([]Problem, 0, len(msgs))
	for _, m := range msgs {
		p := Problem{Message: prefix + m}
		if sm := yamlLineRe.FindStringSubmatch(m); sm != nil {
			p.Line, _ = strconv.Atoi(sm[1])
			p.Message = prefix + sm[2]
		}
		ps = append(ps, p)
	}
	return ps
}

// checkShape compares the YAML node n with the Go type t and records, by YAML path, unknown
// keys, duplicate keys and values of the wrong kind. A null value is always accepted: it keeps
// the default (or empties a list), exactly as yaml.v3 decodes it.
func checkShape(n *yaml.Node, t reflect.Type, path string, ps *[]Problem) {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return
		}
		n = n.Content[0]
	}
	if n.Kind == yaml.AliasNode || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null") {
		return
	}
	add := func(line int, path, format string, args ...any) {
		*ps = append(*ps, Problem{Path: path, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	switch t.Kind() {
	case reflect.Struct:
		names, fields := yamlFields(t)
		if n.Kind != yaml.MappingNode {
			add(n.Line, path, "got %s; want a mapping with the keys %s", describe(n), strings.Join(names, ", "))
			return
		}
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
				continue
			}
			p := joinPath(path, k.Value)
			if k.Kind != yaml.ScalarNode {
				add(k.Line, path, "got %s as a key; keys are plain names: %s", describe(k), strings.Join(names, ", "))
				continue
			}
			if first, dup := seen[k.Value]; dup {
				add(k.Line, p, "set twice (first on line %d); set it once", first)
				continue
			}
			seen[k.Value] = k.Line
			f, ok := fields[k.Value]
			if !ok {
				msg := "unknown field; allowed here: " + strings.Join(names, ", ")
				for _, name := range names {
					if strings.EqualFold(name, k.Value) {
						msg = fmt.Sprintf("unknown field; did you mean %s? (names are case-sensitive)", name)
					}
				}
				add(k.Line, p, "%s", msg)
				continue
			}
			checkShape(v, f.Type, p, ps)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			add(n.Line, path, "got %s; want %s", describe(n), want(t))
			return
		}
		for i, item := range n.Content {
			checkShape(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), ps)
		}
	default:
		ok := n.Kind == yaml.ScalarNode && n.Decode(reflect.New(t).Interface()) == nil
		// yaml.v3 truncates 2.5 into an int and reads yes, on and "y" as true; in a
		// configuration file those are mistakes, not intentions.
		switch t.Kind() {
		case reflect.Int:
			ok = ok && n.ShortTag() == "!!int"
		case reflect.Bool:
			ok = ok && n.ShortTag() == "!!bool"
		}
		if !ok {
			add(n.Line, path, "got %s; want %s", describe(n), want(t))
		}
	}
}

// yamlFields lists the YAML names of t's fields in declaration order, and indexes them.
func yamlFields(t reflect.Type) ([]string, map[string]reflect.StructField) {
	var names []string
	fields := map[string]reflect.StructField{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		names = append(names, name)
		fields[name] = f
	}
	return names, fields
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// describe says what a node is, for "got X; want Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		kind := map[string]string{
			"!!str": "string", "!!int": "integer", "!!float": "number", "!!bool": "boolean",
			"!!timestamp": "timestamp", "!!binary": "binary value",
		}[n.ShortTag()]
		if kind == "" {
			kind = "value tagged " + n.ShortTag()
		}
		v := n.Value
		if r := []rune(v); len(r) > 40 {
			v = string(r[:40]) + "…"
		}
		return fmt.Sprintf("%s %q", kind, v)
	}
	return "a YAML node"
}

// want says what a Go type accepts, in YAML terms.
func want(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int64:
		return "an integer"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(want(t.Elem()), "an "), "a ") + "s"
	case reflect.Struct:
		return "a mapping"
	}
	return t.String()
}

// lineOf finds the line of the value at a YAML path such as cluster.adminPrincipalArns[1], or 0
// when the path is not in the document (the value is a default).
func lineOf(root *yaml.Node, path string) int {
	if path == "" {
		return 0
	}
	n, line := root, 0
	for seg := range strings.SplitSeq(path, ".") {
		name, rest, _ := strings.Cut(seg, "[")
		if n = mappingValue(deref(n), name); n == nil {
			return 0
		}
		line = n.Line
		for rest != "" {
			var idx string
			idx, rest, _ = strings.Cut(rest, "]")
			rest = strings.TrimPrefix(rest, "[")
			i, err := strconv.Atoi(idx)
			s := deref(n)
			if err != nil || s.Kind != yaml.SequenceNode || i < 0 || i >= len(s.Content) {
				return 0
			}
			n = s.Content[i]
			line = n.Line
		}
	}
	return line
}

// mappingValue returns the value node of key in the mapping n, with the key's line so that the
// problem points at the line the engineer edits.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			v := *n.Content[i+1]
			v.Line = k.Line
			return &v
		}
	}
	return nil
}

// deref skips the document node and follows an alias.
func deref(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}
