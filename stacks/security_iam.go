package stacks

import (
	"fmt"

	"github.com/platformeng/eks-platform/constructs/iampolicy"
)

// awsIDs are the account facts policies are built from (tokens known at apply time).
type awsIDs struct {
	Partition, Account, Region string
}

func (a awsIDs) arn(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", a.Partition, service, a.Region, a.Account, resource)
}

// keyPolicy is the key policy of a platform key: the account administers it, so that IAM
// policies decide who uses it and the key can never become unmanageable. The only IAM policies
// that grant use of the security stack's keys are the ones below (stack tests check it).
func keyPolicy(ids awsIDs) iampolicy.Document {
	return iampolicy.New(iampolicy.Statement{
		Sid: "AccountAdministers", Effect: "Allow",
		Principal: map[string]any{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", ids.Partition, ids.Account)},
		Action:    []string{"kms:*"}, Resource: []string{"*"},
	})
}

// unsealActions are what OpenBao's awskms seal calls: Encrypt and Decrypt of the barrier's
// root key, DescribeKey at start-up (go-kms-wrapping awskms).
var unsealActions = []string{"kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"}

// openBaoUnsealPolicy lets the OpenBao servers use the unseal key and nothing else.
func openBaoUnsealPolicy(keyARN string) iampolicy.Document {
	return iampolicy.New(iampolicy.Allow("AutoUnseal", unsealActions, keyARN))
}

// viaSecretsManager limits a key to calls Secrets Manager makes on the caller's behalf.
func viaSecretsManager(region string) map[string]any {
	return map[string]any{"StringEquals": map[string]any{"kms:ViaService": "secretsmanager." + region + ".amazonaws.com"}}
}

// initSecretActions are what the bootstrap Job does with its one secret: store the init
// output once, read it back on a re-run that finds OpenBao initialized but not configured.
var (
	initSecretActions = []string{"secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}
	initKeyActions    = []string{"kms:GenerateDataKey", "kms:Decrypt"}
)

// openBaoBootstrapPolicy lets the bootstrap Job write and read the init secret only, and use
// its key only through Secrets Manager.
func openBaoBootstrapPolicy(ids awsIDs, secretARN, keyARN string) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Allow("InitSecret", initSecretActions, secretARN),
		iampolicy.Statement{Sid: "InitSecretKey", Effect: "Allow", Action: initKeyActions,
			Resource: []string{keyARN}, Condition: viaSecretsManager(ids.Region)},
	)
}

// openBaoSnapshotPolicy lets the snapshot CronJob upload under snapshots/ of its bucket. A
// multipart upload to an SSE-KMS bucket needs Decrypt as well as GenerateDataKey.
func openBaoSnapshotPolicy(bucketARN, keyARN string) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Allow("PutSnapshots", []string{"s3:PutObject"}, bucketARN+"/snapshots/*"),
		iampolicy.Allow("ListSnapshots", []string{"s3:ListBucket"}, bucketARN),
		iampolicy.Allow("BucketKey", []string{"kms:GenerateDataKey", "kms:Decrypt"}, keyARN),
	)
}

// externalSecretsPolicy lets External Secrets read the platform's application secrets
// (<project>-<env>/...) and nothing else; the OpenBao init secret lives outside that prefix
// and is denied by name as well. Customer-managed keys are usable only through Secrets Manager.
func externalSecretsPolicy(ids awsIDs, prefix, initSecretARN string) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Allow("ReadPlatformSecrets", []string{
			"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds",
		}, ids.arn("secretsmanager", "secret:"+prefix+"*")),
		iampolicy.Statement{Sid: "DecryptThroughSecretsManager", Effect: "Allow",
			Action: []string{"kms:Decrypt"}, Resource: []string{ids.arn("kms", "key/*")},
			Condition: viaSecretsManager(ids.Region)},
		iampolicy.Statement{Sid: "NeverTheOpenBaoInitSecret", Effect: "Deny",
			Action: []string{"secretsmanager:*"}, Resource: []string{initSecretARN}},
	)
}
