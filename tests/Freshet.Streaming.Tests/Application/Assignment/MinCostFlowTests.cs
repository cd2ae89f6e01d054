using Freshet.Streaming.Application.Assignment;

namespace Freshet.Streaming.Tests.Application.Assignment;

/// <summary>The min-cost flow under the assignor's quotas, on graphs whose cheapest flow is known.</summary>
public sealed class MinCostFlowTests
{
    [Fact]
    public void Run_GreedyFirstPathIsWrong_ReroutesThroughResidualEdge()
    {
        // Workers A, B and jobs X, Y. The cheapest single pairing (A-X, cost 1) is not in the cheapest full
        // assignment: A-Y + B-X costs 4, A-X + B-Y costs 11.
        const int source = 0, a = 1, b = 2, x = 3, y = 4, sink = 5;
        var flow = new MinCostFlow(6);
        flow.AddEdge(source, a, 1, 0);
        flow.AddEdge(source, b, 1, 0);
        var ax = flow.AddEdge(a, x, 1, 1);
        var ay = flow.AddEdge(a, y, 1, 2);
        var bx = flow.AddEdge(b, x, 1, 2);
        var by = flow.AddEdge(b, y, 1, 10);
        flow.AddEdge(x, sink, 1, 0);
        flow.AddEdge(y, sink, 1, 0);

        Assert.Equal(2, flow.Run(source, sink, limit: 5));

        Assert.Equal([0, 1, 1, 0], new[] { flow.Flow(ax), flow.Flow(ay), flow.Flow(bx), flow.Flow(by) });
    }

    [Fact]
    public void Run_NegativeCosts_PrefersTheMostNegativePath()
    {
        const int source = 0, middle = 1, sink = 2;
        var flow = new MinCostFlow(3);
        flow.AddEdge(source, middle, 3, 0);
        var cheap = flow.AddEdge(middle, sink, 1, -5);
        var dear = flow.AddEdge(middle, sink, 5, -1);

        Assert.Equal(2, flow.Run(source, sink, limit: 2));

        Assert.Equal(1, flow.Flow(cheap));
        Assert.Equal(1, flow.Flow(dear));
    }

    [Fact]
    public void Run_LimitAboveCapacity_ReturnsWhatFits()
    {
        var flow = new MinCostFlow(2);
        flow.AddEdge(0, 1, 3, 1);
        Assert.Equal(3, flow.Run(0, 1, limit: 10));
    }
}
