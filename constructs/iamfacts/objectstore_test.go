package iamfacts_test

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/constructs/iamfacts"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/objectstore"
)

// TestObjectStoreStatements checks the shared bucket construct's access statements and bucket
// policy against the fact table before any stack uses them.
func TestObjectStoreStatements(t *testing.T) {
	table, err := iamfacts.Load()
	if err != nil {
		t.Fatal(err)
	}
	stack := cdktf.NewTerraformStack(cdktf.Testing_App(nil), jsii.String("s"))
	store := objectstore.New(stack, "logs", objectstore.Config{
		Names: naming.New("proj", "dev"), Component: "loki",
		KMSKeyARN: jsii.String("arn:aws:kms:us-east-1:111122223333:key/abc"), AccountID: jsii.String("111122223333"),
	})
	docs := map[string]iampolicy.Document{
		"ReadWrite": iampolicy.New(store.ReadWrite()...),
		"ReadOnly":  iampolicy.New(store.ReadOnly()...),
		"TLSOnly":   objectstore.TLSOnlyPolicy(*store.ARN()),
	}
	for name, d := range docs {
		for _, p := range table.CheckTerraform(d) {
			t.Errorf("%s: %s", name, p)
		}
	}
}
