// Package nodegroup is the managed node group: a minimal node role, a launch template with
// IMDSv2 required and an encrypted gp3 root volume, and a taint that keeps workloads off a node
// until Cilium is ready on it.
package nodegroup

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eksnodegroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicyattachment"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/launchtemplate"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// Component is the Component tag of the node group resources.
const Component = "nodes"

// CiliumTaint is the taint Cilium removes once its agent runs on the node
// (Cilium's agentNotReadyTaintKey).
const CiliumTaint = "node.cilium.io/agent-not-ready"

// NodePolicies are the only AWS-managed policies nodes get: join the cluster and pull images.
// No CNI policy: Cilium's operator manages ENIs with its own identity.
var NodePolicies = []string{"AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"}

// Config describes the node group.
type Config struct {
	Names       naming.Namer
	Partition   *string
	ClusterName *string
	Nodes       config.NodeGroup
	SubnetIDs   []*string
	// MaxPods is the kubelet's pod limit (nodes.maxPods), written into the nodes' NodeConfig.
	MaxPods int
	// InstanceTags are the required tags for instances and volumes, which provider default
	// tags do not reach (the Auto Scaling group launches them).
	InstanceTags map[string]string
	DependsOn    []cdktf.ITerraformDependable
}

// NodeGroup exposes the node role and group.
type NodeGroup struct {
	constructs.Construct
	Role  iamrole.IamRole
	Group eksnodegroup.EksNodeGroup
}

// New creates the node group.
func New(scope constructs.Construct, id string, c Config) *NodeGroup {
	g := &NodeGroup{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	tags := tagging.ComponentTags(Component)

	g.Role = iamrole.NewIamRole(g.Construct, jsii.String("role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(c.Names.Must(naming.IAMRole, "nodes")),
		AssumeRolePolicy: iampolicy.AssumeRole("ec2.amazonaws.com").Expr(),
		Tags:             tags,
	})
	var attachments []cdktf.ITerraformDependable
	for i, p := range NodePolicies {
		attachments = append(attachments, iamrolepolicyattachment.NewIamRolePolicyAttachment(g.Construct, jsii.String(fmt.Sprintf("policy-%d", i)),
			&iamrolepolicyattachment.IamRolePolicyAttachmentConfig{
				Role:      g.Role.Name(),
				PolicyArn: jsii.String(fmt.Sprintf("arn:%s:iam::aws:policy/%s", *c.Partition, p)),
			}))
	}

	instanceTags := map[string]*string{tagging.Component: jsii.String(Component)}
	for k, v := range c.InstanceTags {
		instanceTags[k] = jsii.String(v)
	}
	lt := launchtemplate.NewLaunchTemplate(g.Construct, jsii.String("launch-template"), &launchtemplate.LaunchTemplateConfig{
		Name:        jsii.String(c.Names.Must(naming.LaunchTemplate, "nodes")),
		Description: jsii.String("EKS nodes: IMDSv2 only, encrypted gp3 root volume, kubelet maxPods"),
		UserData:    jsii.String(UserData(c.MaxPods)),
		MetadataOptions: &launchtemplate.LaunchTemplateMetadataOptions{
			HttpEndpoint: jsii.String("enabled"),
			HttpTokens:   jsii.String("required"),
			// One hop: host-network agents reach IMDS, pods in their own network namespace do not.
			HttpPutResponseHopLimit: jsii.Number(1),
			InstanceMetadataTags:    jsii.String("disabled"),
		},
		BlockDeviceMappings: &[]*launchtemplate.LaunchTemplateBlockDeviceMappings{{
			DeviceName: jsii.String("/dev/xvda"),
			Ebs: &launchtemplate.LaunchTemplateBlockDeviceMappingsEbs{
				VolumeSize:          jsii.Number(float64(c.Nodes.DiskSizeGiB)),
				VolumeType:          jsii.String("gp3"),
				Encrypted:           jsii.String("true"),
				DeleteOnTermination: jsii.String("true"),
			},
		}},
		TagSpecifications: &[]*launchtemplate.LaunchTemplateTagSpecifications{
			{ResourceType: jsii.String("instance"), Tags: &instanceTags},
			{ResourceType: jsii.String("volume"), Tags: &instanceTags},
			{ResourceType: jsii.String("network-interface"), Tags: &instanceTags},
		},
		UpdateDefaultVersion: jsii.Bool(true),
		Tags:                 tags,
	})

	deps := append(attachments, c.DependsOn...)
	g.Group = eksnodegroup.NewEksNodeGroup(g.Construct, jsii.String("group"), &eksnodegroup.EksNodeGroupConfig{
		ClusterName:   c.ClusterName,
		NodeGroupName: jsii.String(c.Names.Must(naming.NodeGroup, "default")),
		NodeRoleArn:   g.Role.Arn(),
		SubnetIds:     &c.SubnetIDs,
		AmiType:       jsii.String("AL2023_x86_64_STANDARD"),
		CapacityType:  jsii.String(c.Nodes.CapacityType),
		InstanceTypes: jsii.Strings(c.Nodes.InstanceTypes...),
		ScalingConfig: &eksnodegroup.EksNodeGroupScalingConfig{
			MinSize:     jsii.Number(float64(c.Nodes.MinSize)),
			DesiredSize: jsii.Number(float64(c.Nodes.DesiredSize)),
			MaxSize:     jsii.Number(float64(c.Nodes.MaxSize)),
		},
		UpdateConfig: &eksnodegroup.EksNodeGroupUpdateConfig{MaxUnavailable: jsii.Number(1)},
		LaunchTemplate: &eksnodegroup.EksNodeGroupLaunchTemplate{
			Id: lt.Id(), Version: cdktf.Token_AsString(lt.LatestVersion(), nil),
		},
		Taint: &[]*eksnodegroup.EksNodeGroupTaint{{
			Key: jsii.String(CiliumTaint), Value: jsii.String("true"), Effect: jsii.String("NO_EXECUTE"),
		}},
		// cluster-autoscaler owns the desired size once the group exists.
		Lifecycle: &cdktf.TerraformResourceLifecycle{IgnoreChanges: jsii.Strings("scaling_config[0].desired_size")},
		Tags:      tags,
		DependsOn: &deps,
	})
	return g
}
