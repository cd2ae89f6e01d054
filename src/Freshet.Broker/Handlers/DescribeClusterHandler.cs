using Freshet.Broker.Security.Authorization;
using Freshet.Kafka.Protocol.Messages;

namespace Freshet.Broker.Handlers;

/// <summary>
/// DescribeCluster 0-1 (KIP-700): the cluster id, this node as the only broker and as the controller,
/// and, when asked, the cluster operations the client may perform (computed by the authorizer). Needs DESCRIBE on the cluster: CLUSTER_AUTHORIZATION_FAILED (31) otherwise. v1 asks for an endpoint
/// type: this node serves broker endpoints only, so asking it for controllers gets
/// MISMATCHED_ENDPOINT_TYPE (114) and an unknown type UNSUPPORTED_ENDPOINT_TYPE (115), as in Kafka.
/// </summary>
internal sealed class DescribeClusterHandler : ApiHandler<DescribeClusterRequest, DescribeClusterResponse>
{
    private const sbyte BrokerEndpoints = 1;

    private const sbyte ControllerEndpoints = 2;

    private readonly BrokerServices _services;

    public DescribeClusterHandler(BrokerServices services) => _services = services;

    /// <inheritdoc/>
    protected override ValueTask<DescribeClusterResponse?> HandleAsync(RequestContext context, DescribeClusterRequest request)
    {
        if (!_services.Authorizer.AllowsCluster(context, AclOperation.Describe))
        {
            return new(new DescribeClusterResponse
            {
                EndpointType = request.EndpointType,
                ErrorCode = KafkaErrorCode.ClusterAuthorizationFailed,
                ErrorMessage = "Describing the cluster needs DESCRIBE on the cluster.",
                ClusterId = _services.ClusterId,
            });
        }

        var response = new DescribeClusterResponse
        {
            EndpointType = request.EndpointType,
            ClusterId = _services.ClusterId,
            ControllerId = _services.NodeId,
            ClusterAuthorizedOperations = request.IncludeClusterAuthorizedOperations ? _services.Authorizer.ClusterOperations(context) : DescribeClusterResponse.AuthorizedOperationsOmitted,
        };

        if (request.EndpointType != BrokerEndpoints)
        {
            response.ErrorCode = request.EndpointType == ControllerEndpoints ? KafkaErrorCode.MismatchedEndpointType : KafkaErrorCode.UnsupportedEndpointType;
            response.ErrorMessage = request.EndpointType == ControllerEndpoints
                ? "This node serves broker endpoints; it has no separate controller endpoints."
                : $"Unknown endpoint type {request.EndpointType}.";
            response.ControllerId = -1;
            return new(response);
        }

        var (host, port) = _services.AdvertisedAddress(context);
        response.Brokers = [new DescribeClusterBroker { BrokerId = _services.NodeId, Host = host, Port = port }];
        return new(response);
    }
}
