package stacks

import (
	"fmt"

	"github.com/platformeng/eks-platform/constructs/cluster"
	"github.com/platformeng/eks-platform/constructs/iampolicy"
)

// arn builds an ARN in the key's partition, region and account.
func arn(k *cluster.Key, service, region, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", *k.Partition.Partition(), service, region, *k.Account.AccountId(), resource)
}

// ciliumOperatorPolicy lets the Cilium operator manage pod ENIs in this VPC and attach them
// to this environment's nodes only. Describe calls have no resource-level permissions in EC2,
// so they are the only "*" resources. The instance resource type of AttachNetworkInterface has
// no ec2:Vpc key (EC2 Service Authorization Reference), so instances are scoped by the
// Project and Environment tags the node launch template puts on them (constructs/nodegroup).
func ciliumOperatorPolicy(k *cluster.Key, vpcARN string, nodeTags map[string]string) iampolicy.Document {
	inVPC := map[string]any{"ArnEquals": map[string]any{"ec2:Vpc": vpcARN}}
	ownNodes := map[string]any{}
	for key, v := range nodeTags {
		ownNodes["aws:ResourceTag/"+key] = v
	}
	return iampolicy.New(
		iampolicy.Allow("Describe", []string{
			"ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
			"ec2:DescribeSecurityGroups", "ec2:DescribeInstances", "ec2:DescribeInstanceTypes",
			"ec2:DescribeTags", "ec2:DescribeRouteTables", "ec2:DescribeManagedPrefixLists",
			"ec2:GetManagedPrefixListEntries",
		}, "*"),
		iampolicy.Statement{Sid: "CreateENIInVPC", Effect: "Allow",
			Action:    []string{"ec2:CreateNetworkInterface"},
			Resource:  []string{arn(k, "ec2", "*", "subnet/*"), arn(k, "ec2", "*", "security-group/*")},
			Condition: inVPC},
		iampolicy.Statement{Sid: "CreateENI", Effect: "Allow",
			Action:   []string{"ec2:CreateNetworkInterface"},
			Resource: []string{arn(k, "ec2", "*", "network-interface/*")}},
		// network-interface, security-group and subnet all carry ec2:Vpc for these actions.
		iampolicy.Statement{Sid: "ManageENIsInVPC", Effect: "Allow",
			Action: []string{
				"ec2:AttachNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute",
				"ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
			},
			Resource:  []string{arn(k, "ec2", "*", "network-interface/*"), arn(k, "ec2", "*", "security-group/*"), arn(k, "ec2", "*", "subnet/*")},
			Condition: inVPC},
		iampolicy.Statement{Sid: "AttachToOwnNodes", Effect: "Allow",
			Action:    []string{"ec2:AttachNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute"},
			Resource:  []string{arn(k, "ec2", "*", "instance/*")},
			Condition: map[string]any{"StringEquals": ownNodes}},
		iampolicy.Statement{Sid: "TagNewENIs", Effect: "Allow",
			Action:    []string{"ec2:CreateTags"},
			Resource:  []string{arn(k, "ec2", "*", "network-interface/*")},
			Condition: map[string]any{"StringEquals": map[string]any{"ec2:CreateAction": "CreateNetworkInterface"}}},
	)
}

// loadBalancerControllerPolicy is the controller's upstream policy narrowed to this cluster:
// everything that changes a load balancer, target group or security group requires the
// elbv2.k8s.aws/cluster tag the controller sets on what it creates. WAF, Shield and Cognito
// actions are left out: the platform uses NLBs (add them with ALB ingress).
func loadBalancerControllerPolicy(k *cluster.Key, vpcARN, clusterName string) iampolicy.Document {
	const clusterTag = "elbv2.k8s.aws/cluster"
	requestTagged := map[string]any{"Null": map[string]any{"aws:RequestTag/" + clusterTag: "false"}}
	resourceTagged := map[string]any{"Null": map[string]any{"aws:ResourceTag/" + clusterTag: "false"}}
	elb := func(r string) string { return arn(k, "elasticloadbalancing", "*", r) }
	lbARNs := []string{elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*"), elb("targetgroup/*/*")}
	return iampolicy.New(
		iampolicy.Statement{Sid: "ServiceLinkedRole", Effect: "Allow",
			Action:    []string{"iam:CreateServiceLinkedRole"},
			Resource:  []string{fmt.Sprintf("arn:%s:iam::%s:role/aws-service-role/elasticloadbalancing.amazonaws.com/*", *k.Partition.Partition(), *k.Account.AccountId())},
			Condition: map[string]any{"StringEquals": map[string]any{"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}}},
		iampolicy.Allow("Describe", []string{
			"ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeAvailabilityZones",
			"ec2:DescribeInternetGateways", "ec2:DescribeVpcs", "ec2:DescribeVpcPeeringConnections",
			"ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeInstances",
			"ec2:DescribeNetworkInterfaces", "ec2:DescribeTags", "ec2:DescribeRouteTables",
			"ec2:GetSecurityGroupsForVpc", "ec2:DescribeIpamPools", "ec2:GetCoipPoolUsage", "ec2:DescribeCoipPools",
			"elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes",
			"elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeListenerCertificates",
			"elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeSSLPolicies",
			"elasticloadbalancing:DescribeRules", "elasticloadbalancing:DescribeTargetGroups",
			"elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth",
			"elasticloadbalancing:DescribeTags", "elasticloadbalancing:DescribeTrustStores",
			"elasticloadbalancing:DescribeCapacityReservation",
			"acm:ListCertificates", "acm:DescribeCertificate",
		}, "*"),
		// CreateSecurityGroup authorizes the VPC (optional resource, keys ec2:VpcID and tags, no
		// ec2:Vpc) and the new group: name the cluster's VPC itself, and require the tag.
		iampolicy.Allow("CreateSecurityGroupInVPC", []string{"ec2:CreateSecurityGroup"}, vpcARN),
		iampolicy.Statement{Sid: "CreateTaggedSecurityGroup", Effect: "Allow",
			Action:    []string{"ec2:CreateSecurityGroup"},
			Resource:  []string{arn(k, "ec2", "*", "security-group/*")},
			Condition: map[string]any{"StringEquals": map[string]any{"aws:RequestTag/" + clusterTag: clusterName}}},
		iampolicy.Statement{Sid: "TagNewSecurityGroup", Effect: "Allow",
			Action:   []string{"ec2:CreateTags"},
			Resource: []string{arn(k, "ec2", "*", "security-group/*")},
			Condition: map[string]any{"StringEquals": map[string]any{
				"ec2:CreateAction":             "CreateSecurityGroup",
				"aws:RequestTag/" + clusterTag: clusterName,
			}}},
		// As upstream: other tags of its own groups, never the ownership tag itself.
		iampolicy.Statement{Sid: "RetagOwnSecurityGroups", Effect: "Allow",
			Action:   []string{"ec2:CreateTags", "ec2:DeleteTags"},
			Resource: []string{arn(k, "ec2", "*", "security-group/*")},
			Condition: map[string]any{
				"Null":         map[string]any{"aws:RequestTag/" + clusterTag: "true"},
				"StringEquals": map[string]any{"aws:ResourceTag/" + clusterTag: clusterName},
			}},
		// The controller opens the nodes' groups to its load balancers' groups: upstream allows
		// this on every group; here only on groups of the cluster's VPC.
		iampolicy.Statement{Sid: "IngressRulesInVPC", Effect: "Allow",
			Action:    []string{"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"},
			Resource:  []string{arn(k, "ec2", "*", "security-group/*")},
			Condition: map[string]any{"ArnEquals": map[string]any{"ec2:Vpc": vpcARN}}},
		iampolicy.Statement{Sid: "DeleteOwnSecurityGroups", Effect: "Allow",
			Action:    []string{"ec2:DeleteSecurityGroup"},
			Resource:  []string{arn(k, "ec2", "*", "security-group/*")},
			Condition: map[string]any{"StringEquals": map[string]any{"aws:ResourceTag/" + clusterTag: clusterName}}},
		iampolicy.Statement{Sid: "CreateTaggedLoadBalancers", Effect: "Allow",
			Action:    []string{"elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"},
			Resource:  lbARNs,
			Condition: requestTagged},
		iampolicy.Statement{Sid: "TagOnCreate", Effect: "Allow",
			Action:   []string{"elasticloadbalancing:AddTags"},
			Resource: lbARNs,
			Condition: map[string]any{"StringEquals": map[string]any{"elasticloadbalancing:CreateAction": []string{
				"CreateTargetGroup", "CreateLoadBalancer"}}}},
		iampolicy.Statement{Sid: "ManageOwnLoadBalancers", Effect: "Allow",
			Action: []string{
				"elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:SetIpAddressType",
				"elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets",
				"elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyTargetGroup",
				"elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup",
				"elasticloadbalancing:ModifyCapacityReservation", "elasticloadbalancing:ModifyIpPools",
				"elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
			},
			Resource:  lbARNs,
			Condition: resourceTagged},
		iampolicy.Allow("ListenersAndRules", []string{
			"elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener",
			"elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes",
			"elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
			"elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyRule",
		}, elb("listener/net/*/*/*"), elb("listener/app/*/*/*"), elb("listener-rule/net/*/*/*"), elb("listener-rule/app/*/*/*"),
			elb("loadbalancer/net/*/*"), elb("loadbalancer/app/*/*")),
		iampolicy.Allow("Targets", []string{
			"elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets",
		}, elb("targetgroup/*/*")),
	)
}

// clusterAutoscalerPolicy may scale only the Auto Scaling groups EKS tagged as this cluster's.
func clusterAutoscalerPolicy(k *cluster.Key, region, clusterName string) iampolicy.Document {
	return iampolicy.New(
		iampolicy.Allow("Describe", []string{
			"autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances",
			"autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities",
			"autoscaling:DescribeTags", "ec2:DescribeImages", "ec2:DescribeInstanceTypes",
			"ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements",
		}, "*"),
		iampolicy.Statement{Sid: "ScaleOwnGroups", Effect: "Allow",
			Action:   []string{"autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"},
			Resource: []string{arn(k, "autoscaling", region, "autoScalingGroup:*:autoScalingGroupName/*")},
			Condition: map[string]any{"StringEquals": map[string]any{
				"aws:ResourceTag/k8s.io/cluster-autoscaler/" + clusterName: "owned",
			}}},
		iampolicy.Allow("DescribeNodegroups", []string{"eks:DescribeNodegroup"},
			arn(k, "eks", region, "nodegroup/"+clusterName+"/*/*")),
	)
}
