package config

import "testing"

func TestParseCPU(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"100m", 100, false},
		{"300m", 300, false},
		{"1", 1000, false},
		{"2", 2000, false},
		{"0.5", 500, false},
		{".25", 250, false},
		{"1.5", 1500, false},
		{"0.0001", 1, false}, // rounded up to a millicore, like Kubernetes
		{"1.5m", 2, false},
		{"0", 0, false},
		{"9223372036854775807m", 9223372036854775807, false},
		{"9223372036854776", 0, true}, // overflows as millicores
		{"", 0, true},
		{"m", 0, true},
		{"100M", 0, true},
		{"-1", 0, true},
		{"1e3", 0, true},
		{"1.", 0, true},
		{" 100m", 0, true},
		{"100mi", 0, true},
		{"1,5", 0, true},
		{"١٠٠m", 0, true}, // non-ASCII digits
	} {
		got, err := ParseCPU(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseCPU(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestParseMemory(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"256Mi", 256 << 20, false},
		{"512Mi", 512 << 20, false},
		{"1Gi", 1 << 30, false},
		{"1.5Gi", 3 << 29, false},
		{"2Ti", 2 << 40, false},
		{"64Ki", 64 << 10, false},
		{"500M", 500e6, false},
		{"1G", 1e9, false},
		{"3k", 3000, false},
		{"1T", 1e12, false},
		{"1048576", 1 << 20, false},
		{"0.1Ki", 103, false}, // 102.4 bytes, rounded up
		{"8388607Ti", 8388607 << 40, false},
		{"8388608Ti", 0, true}, // 2^63 bytes overflows int64
		{"", 0, true},
		{"Mi", 0, true},
		{"256MB", 0, true},
		{"256mi", 0, true},
		{"256m", 0, true},
		{"1Pi", 0, true},
		{"-1Gi", 0, true},
		{"1e9", 0, true},
		{"256 Mi", 0, true},
	} {
		got, err := ParseMemory(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseMemory(%q) = %d, %v; want %d, error %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}
