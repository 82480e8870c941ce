package model

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

func yamlUnmarshal(data []byte, v any) error { return yaml.Unmarshal(data, v) }

// Facts extracts a stack's facts from its Terraform resources (type -> id -> attributes, as in
// cdk.tf.json). localChart maps a helm_release chart path to a local chart name ("" for charts
// from repositories).
func Facts(resources map[string]map[string]map[string]any, localChart func(string) string) *Stack {
	s := &Stack{Resources: map[string]int{}}
	for typ, byID := range resources {
		for _, attrs := range byID {
			n := 1
			if c, ok := attrs["count"].(float64); ok {
				n = int(c)
			}
			s.Resources[typ] += n
		}
	}
	for _, id := range sortedKeys(resources["aws_cloudwatch_log_group"]) {
		a := resources["aws_cloudwatch_log_group"][id]
		s.LogGroups = append(s.LogGroups, LogGroup{Name: str(a["name"], id), RetentionDays: num(a["retention_in_days"])})
	}
	expiry := lifecycleExpirations(resources["aws_s3_bucket_lifecycle_configuration"])
	for _, id := range sortedKeys(resources["aws_s3_bucket"]) {
		a := resources["aws_s3_bucket"][id]
		component := ""
		if tags, ok := a["tags"].(map[string]any); ok {
			component, _ = tags["Component"].(string)
		}
		s.Buckets = append(s.Buckets, Bucket{Name: str(a["bucket"], id), Component: component, ExpirationDays: expiry[id]})
	}
	for _, id := range sortedKeys(resources["helm_release"]) {
		a := resources["helm_release"][id]
		r := Release{Name: str(a["name"], id), Namespace: str(a["namespace"], ""), Chart: str(a["chart"], "")}
		if localChart != nil && strings.HasPrefix(r.Chart, "assets/") {
			r.LocalChart = localChart(r.Chart)
		}
		s.Releases = append(s.Releases, r)
		vals, _ := a["values"].([]any)
		for _, v := range vals {
			text, ok := v.(string)
			if !ok {
				continue
			}
			var doc any
			if yaml.Unmarshal([]byte(text), &doc) != nil {
				continue
			}
			scanValues(s, r.Name, "", doc, nil)
		}
	}
	return s
}

// lifecycleExpirations maps an aws_s3_bucket id to the shortest current-version expiration
// of the lifecycle configuration that references it.
func lifecycleExpirations(configs map[string]map[string]any) map[string]int {
	out := map[string]int{}
	ref := regexp.MustCompile(`aws_s3_bucket\.([^.}]+)\.`)
	for _, a := range configs {
		b, _ := a["bucket"].(string)
		m := ref.FindStringSubmatch(b)
		if m == nil {
			continue
		}
		for _, rule := range list(a["rule"]) {
			r, _ := rule.(map[string]any)
			if st, _ := r["status"].(string); st != "" && st != "Enabled" {
				continue
			}
			for _, e := range list(r["expiration"]) {
				em, _ := e.(map[string]any)
				if d := num(em["days"]); d > 0 && (out[m[1]] == 0 || d < out[m[1]]) {
					out[m[1]] = d
				}
			}
		}
	}
	return out
}

// scanValues walks decoded chart values for three shapes that cost money or page someone:
// Services of type LoadBalancer (an NLB through the AWS Load Balancer Controller), persistent
// volume sizes, and Prometheus alerting rules. parents holds the enclosing maps, innermost
// last, to find a replica count next to a volume.
func scanValues(s *Stack, release, path string, v any, parents []map[string]any) {
	switch t := v.(type) {
	case map[string]any:
		if isAlert(t) {
			s.Alerts = append(s.Alerts, alertOf(t, release))
		}
		if typ, _ := t["type"].(string); typ == "LoadBalancer" {
			scheme := "internal"
			if ann, ok := t["annotations"].(map[string]any); ok {
				if sc, ok := ann["service.beta.kubernetes.io/aws-load-balancer-scheme"].(string); ok {
					scheme = sc
				}
			}
			s.LoadBalancers = append(s.LoadBalancers, LoadBalancer{Release: release, Scheme: scheme})
		}
		if size, ok := volumeSize(path, t); ok {
			s.Volumes = append(s.Volumes, Volume{Release: release, Path: path, SizeGiB: size, Count: replicasNear(append(parents, t))})
		}
		for _, k := range sortedKeys(t) {
			scanValues(s, release, joinPath(path, k), t[k], append(parents, t))
		}
	case []any:
		for i, e := range t {
			scanValues(s, release, fmt.Sprintf("%s[%d]", path, i), e, parents)
		}
	}
}

func isAlert(m map[string]any) bool {
	_, expr := m["expr"].(string)
	name, _ := m["alert"].(string)
	return expr && name != ""
}

func alertOf(m map[string]any, release string) Alert {
	a := Alert{Name: m["alert"].(string), Release: release}
	if l, ok := m["labels"].(map[string]any); ok {
		a.Severity, _ = l["severity"].(string)
	}
	if an, ok := m["annotations"].(map[string]any); ok {
		a.RunbookURL, _ = an["runbook_url"].(string)
	}
	return a
}

var quantity = regexp.MustCompile(`^(\d+(?:\.\d+)?)(Mi|Gi|Ti)$`)

// volumeSize recognizes the persistent volume shapes of common charts: a `size` next to
// `enabled`/`storageClass(Name)` under a key mentioning persistence, storage or volume
// (persistence.size, dataStorage.size, volumeClaimTemplate...), or `resources.requests.storage`
// of a claim template. Disabled persistence (`enabled: false`) does not count.
func volumeSize(path string, m map[string]any) (float64, bool) {
	if e, ok := m["enabled"].(bool); ok && !e {
		return 0, false
	}
	lower := strings.ToLower(path)
	var q string
	switch {
	case strings.HasSuffix(lower, "resources.requests") && strings.Contains(lower, "claim"):
		q, _ = m["storage"].(string)
	case strings.Contains(lower, "persist") || strings.Contains(lower, "storage") || strings.Contains(lower, "volume"):
		q, _ = m["size"].(string)
	}
	g := quantity.FindStringSubmatch(q)
	if g == nil {
		return 0, false
	}
	n, _ := strconv.ParseFloat(g[1], 64)
	switch g[2] {
	case "Mi":
		n /= 1024
	case "Ti":
		n *= 1024
	}
	return n, true
}

// replicasNear is the closest replicas/replicaCount/replicas-like count around a volume (a
// StatefulSet's volume exists once per replica); 1 when none is found.
func replicasNear(parents []map[string]any) int {
	for i := len(parents) - 1; i >= 0; i-- {
		for _, k := range []string{"replicas", "replicaCount"} {
			if n := num(parents[i][k]); n > 0 {
				return n
			}
		}
	}
	return 1
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func list(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case map[string]any:
		return []any{t}
	}
	return nil
}

func str(v any, def string) string {
	if s, ok := v.(string); ok && s != "" {
		return s
	}
	return def
}

func num(v any) int {
	switch t := v.(type) {
	case float64:
		return int(t)
	case int:
		return t
	}
	return 0
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
