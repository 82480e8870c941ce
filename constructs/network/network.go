// Package network is the platform VPC: public, private and intra subnets across the configured
// AZs, NAT per strategy, flow logs, an S3 gateway endpoint and a default security group that
// allows nothing.
package network

import (
	"fmt"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/cloudwatchloggroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/dataawsavailabilityzones"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/defaultsecuritygroup"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/eip"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/flowlog"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrole"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/iamrolepolicy"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/internetgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/natgateway"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/route"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetable"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/routetableassociation"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/subnet"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpc"
	"github.com/cdktf/cdktf-provider-aws-go/aws/v19/vpcendpoint"
	"github.com/hashicorp/terraform-cdk-go/cdktf"

	"github.com/platformeng/eks-platform/config"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
	"github.com/platformeng/eks-platform/constructs/naming"
	"github.com/platformeng/eks-platform/constructs/tagging"
)

// Component is the Component tag of everything in this construct.
const Component = "network"

// Config describes the VPC.
type Config struct {
	Names   naming.Namer
	Region  string
	Network config.Network
	Plan    config.SubnetPlan
	// ClusterName is tagged on subnets so the load balancer controller discovers them.
	ClusterName string
	// LogKMSKeyARN encrypts the flow log group.
	LogKMSKeyARN *string
}

// Network exposes what the cluster and later stacks need.
type Network struct {
	constructs.Construct
	VPC              vpc.Vpc
	PublicSubnetIDs  []*string
	PrivateSubnetIDs []*string
	IntraSubnetIDs   []*string
	NATGateways      []natgateway.NatGateway
	// Ready is what must exist before nodes can reach the internet (NAT routes).
	Ready []cdktf.ITerraformDependable
}

// New creates the VPC.
func New(scope constructs.Construct, id string, c Config) *Network {
	n := &Network{Construct: constructs.NewConstruct(scope, jsii.String(id))}
	tags := func(name string, extra map[string]string) *map[string]*string {
		t := map[string]*string{tagging.Component: jsii.String(Component), "Name": jsii.String(name)}
		for k, v := range extra {
			t[k] = jsii.String(v)
		}
		return &t
	}
	prefix := c.Names.Prefix()

	azs := dataawsavailabilityzones.NewDataAwsAvailabilityZones(n.Construct, jsii.String("azs"), &dataawsavailabilityzones.DataAwsAvailabilityZonesConfig{
		State: jsii.String("available"),
		Filter: &[]*dataawsavailabilityzones.DataAwsAvailabilityZonesFilter{{
			Name: jsii.String("opt-in-status"), Values: jsii.Strings("opt-in-not-required"),
		}},
	})
	az := func(i int) *string {
		return cdktf.Token_AsString(cdktf.Fn_Element(azs.Names(), jsii.Number(float64(i))), nil)
	}

	n.VPC = vpc.NewVpc(n.Construct, jsii.String("vpc"), &vpc.VpcConfig{
		CidrBlock:          jsii.String(c.Network.VPCCIDR),
		EnableDnsHostnames: jsii.Bool(true),
		EnableDnsSupport:   jsii.Bool(true),
		Tags:               tags(prefix, nil),
	})
	// The default security group is used by accident; make it allow nothing (CIS 5.4).
	defaultsecuritygroup.NewDefaultSecurityGroup(n.Construct, jsii.String("default-sg"), &defaultsecuritygroup.DefaultSecurityGroupConfig{
		VpcId: n.VPC.Id(),
		Tags:  tags(prefix+"-default-deny", nil),
	})
	igw := internetgateway.NewInternetGateway(n.Construct, jsii.String("igw"), &internetgateway.InternetGatewayConfig{
		VpcId: n.VPC.Id(),
		Tags:  tags(prefix, nil),
	})

	publicRT := routetable.NewRouteTable(n.Construct, jsii.String("public-rt"), &routetable.RouteTableConfig{
		VpcId: n.VPC.Id(), Tags: tags(prefix+"-public", nil),
	})
	route.NewRoute(n.Construct, jsii.String("public-default"), &route.RouteConfig{
		RouteTableId: publicRT.Id(), DestinationCidrBlock: jsii.String("0.0.0.0/0"), GatewayId: igw.Id(),
	})
	intraRT := routetable.NewRouteTable(n.Construct, jsii.String("intra-rt"), &routetable.RouteTableConfig{
		VpcId: n.VPC.Id(), Tags: tags(prefix+"-intra", nil),
	})

	elbTags := map[string]string{"kubernetes.io/role/elb": "1", "kubernetes.io/cluster/" + c.ClusterName: "shared"}
	internalTags := map[string]string{"kubernetes.io/role/internal-elb": "1", "kubernetes.io/cluster/" + c.ClusterName: "shared"}
	var privateRTs []*string
	for i := 0; i < c.Network.AZCount; i++ {
		pub := subnet.NewSubnet(n.Construct, jsii.String(fmt.Sprintf("public-%d", i)), &subnet.SubnetConfig{
			VpcId: n.VPC.Id(), CidrBlock: jsii.String(c.Plan.Public[i]), AvailabilityZone: az(i),
			Tags: tags(fmt.Sprintf("%s-public-%d", prefix, i), elbTags),
		})
		routetableassociation.NewRouteTableAssociation(n.Construct, jsii.String(fmt.Sprintf("public-%d-rt", i)), &routetableassociation.RouteTableAssociationConfig{
			SubnetId: pub.Id(), RouteTableId: publicRT.Id(),
		})
		n.PublicSubnetIDs = append(n.PublicSubnetIDs, pub.Id())

		// NAT: one in the first AZ for "single", one per AZ for "per-az".
		if i == 0 || c.Network.NATGateways == config.NATPerAZ {
			ip := eip.NewEip(n.Construct, jsii.String(fmt.Sprintf("nat-%d-ip", i)), &eip.EipConfig{
				Domain: jsii.String("vpc"), Tags: tags(fmt.Sprintf("%s-nat-%d", prefix, i), nil),
			})
			n.NATGateways = append(n.NATGateways, natgateway.NewNatGateway(n.Construct, jsii.String(fmt.Sprintf("nat-%d", i)), &natgateway.NatGatewayConfig{
				AllocationId: ip.Id(), SubnetId: pub.Id(), Tags: tags(fmt.Sprintf("%s-nat-%d", prefix, i), nil),
				DependsOn: &[]cdktf.ITerraformDependable{igw},
			}))
		}

		priv := subnet.NewSubnet(n.Construct, jsii.String(fmt.Sprintf("private-%d", i)), &subnet.SubnetConfig{
			VpcId: n.VPC.Id(), CidrBlock: jsii.String(c.Plan.Private[i]), AvailabilityZone: az(i),
			Tags: tags(fmt.Sprintf("%s-private-%d", prefix, i), internalTags),
		})
		rt := routetable.NewRouteTable(n.Construct, jsii.String(fmt.Sprintf("private-%d-rt", i)), &routetable.RouteTableConfig{
			VpcId: n.VPC.Id(), Tags: tags(fmt.Sprintf("%s-private-%d", prefix, i), nil),
		})
		nat := n.NATGateways[len(n.NATGateways)-1]
		r := route.NewRoute(n.Construct, jsii.String(fmt.Sprintf("private-%d-default", i)), &route.RouteConfig{
			RouteTableId: rt.Id(), DestinationCidrBlock: jsii.String("0.0.0.0/0"), NatGatewayId: nat.Id(),
		})
		n.Ready = append(n.Ready, r)
		routetableassociation.NewRouteTableAssociation(n.Construct, jsii.String(fmt.Sprintf("private-%d-rt-assoc", i)), &routetableassociation.RouteTableAssociationConfig{
			SubnetId: priv.Id(), RouteTableId: rt.Id(),
		})
		privateRTs = append(privateRTs, rt.Id())
		n.PrivateSubnetIDs = append(n.PrivateSubnetIDs, priv.Id())

		intra := subnet.NewSubnet(n.Construct, jsii.String(fmt.Sprintf("intra-%d", i)), &subnet.SubnetConfig{
			VpcId: n.VPC.Id(), CidrBlock: jsii.String(c.Plan.Intra[i]), AvailabilityZone: az(i),
			Tags: tags(fmt.Sprintf("%s-intra-%d", prefix, i), nil),
		})
		routetableassociation.NewRouteTableAssociation(n.Construct, jsii.String(fmt.Sprintf("intra-%d-rt", i)), &routetableassociation.RouteTableAssociationConfig{
			SubnetId: intra.Id(), RouteTableId: intraRT.Id(),
		})
		n.IntraSubnetIDs = append(n.IntraSubnetIDs, intra.Id())
	}

	// S3 traffic (image layers from ECR, Loki/Tempo/Mimir buckets) stays off the NAT bill.
	vpcendpoint.NewVpcEndpoint(n.Construct, jsii.String("s3"), &vpcendpoint.VpcEndpointConfig{
		VpcId:           n.VPC.Id(),
		ServiceName:     jsii.String("com.amazonaws." + c.Region + ".s3"),
		VpcEndpointType: jsii.String("Gateway"),
		RouteTableIds:   &privateRTs,
		Tags:            tags(prefix+"-s3", nil),
	})

	n.flowLogs(c, tags)
	return n
}

// flowLogs sends all VPC traffic records to an encrypted CloudWatch log group.
func (n *Network) flowLogs(c Config, tags func(string, map[string]string) *map[string]*string) {
	name := "/aws/vpc/" + c.Names.Must(naming.LogGroup, "flow-logs")
	group := cloudwatchloggroup.NewCloudwatchLogGroup(n.Construct, jsii.String("flow-logs"), &cloudwatchloggroup.CloudwatchLogGroupConfig{
		Name:            jsii.String(name),
		RetentionInDays: jsii.Number(float64(c.Network.FlowLogRetentionDays)),
		KmsKeyId:        c.LogKMSKeyARN,
		Tags:            tags(name, nil),
	})
	role := iamrole.NewIamRole(n.Construct, jsii.String("flow-logs-role"), &iamrole.IamRoleConfig{
		Name:             jsii.String(c.Names.Must(naming.IAMRole, "vpc-flow-logs")),
		AssumeRolePolicy: iampolicy.AssumeRole("vpc-flow-logs.amazonaws.com").Expr(),
		Tags:             tags(c.Names.Must(naming.IAMRole, "vpc-flow-logs"), nil),
	})
	iamrolepolicy.NewIamRolePolicy(n.Construct, jsii.String("flow-logs-policy"), &iamrolepolicy.IamRolePolicyConfig{
		Name: jsii.String("write-flow-logs"),
		Role: role.Id(),
		Policy: iampolicy.New(iampolicy.Allow("WriteFlowLogs",
			[]string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			*group.Arn(), *group.Arn()+":*")).Expr(),
	})
	flowlog.NewFlowLog(n.Construct, jsii.String("flow-log"), &flowlog.FlowLogConfig{
		VpcId:                  n.VPC.Id(),
		TrafficType:            jsii.String("ALL"),
		LogDestinationType:     jsii.String("cloud-watch-logs"),
		LogDestination:         group.Arn(),
		IamRoleArn:             role.Arn(),
		MaxAggregationInterval: jsii.Number(60),
		Tags:                   tags(c.Names.Prefix()+"-flow-log", nil),
	})
}
