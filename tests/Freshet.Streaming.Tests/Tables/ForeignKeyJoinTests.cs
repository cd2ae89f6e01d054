using CsCheck;
using Freshet.Streaming.Connectors.Collections;
using Freshet.Streaming.State;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Tests.TestSupport;
using static Freshet.Streaming.Tests.Tables.JoinTestSupport;

namespace Freshet.Streaming.Tests.Tables;

/// <summary>An order row of the foreign-key join tests: the customer it references (null: none) and an amount.</summary>
public sealed record JoinOrder(string? CustomerId, int Amount);

/// <summary>
/// Foreign-key joins (KIP-213) in jobs: orders referencing customers, with orders moving between customers, losing
/// their reference, and being deleted, while customers are updated and deleted. Whatever the interleaving, the result
/// table is normalised per order and ends as the join of the final tables.
/// </summary>
public sealed class ForeignKeyJoinTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "freshet-fk-join-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A normalised changelog of orders o0..o5, each referencing c0..c3 or none.</summary>
    internal static Gen<List<Change<KeyValuePair<string, JoinOrder>>>> Orders { get; } =
        Gen.Select(Gen.Int[0, 5], Gen.Int[0, 4], Gen.Int[0, 99], Gen.Int[0, 5]).Array[0, 50].Select(ops =>
        {
            var current = new Dictionary<string, JoinOrder>();
            var changes = new List<Change<KeyValuePair<string, JoinOrder>>>();
            foreach (var (order, customer, amount, choice) in ops)
            {
                var key = "o" + order;
                var value = new JoinOrder(customer == 4 ? null : "c" + customer, amount);
                Upsert(current, changes, key, choice == 0 ? null : value);
            }

            return changes;
        });

    /// <summary>A normalised changelog of customers c0..c3 named n0..n9.</summary>
    internal static Gen<List<Change<KeyValuePair<string, string>>>> Customers { get; } =
        Gen.Select(Gen.Int[0, 3], Gen.Int[0, 9], Gen.Int[0, 4]).Array[0, 30].Select(ops =>
        {
            var current = new Dictionary<string, string>();
            var changes = new List<Change<KeyValuePair<string, string>>>();
            foreach (var (customer, name, choice) in ops)
            {
                Upsert(current, changes, "c" + customer, choice == 0 ? null : "n" + name);
            }

            return changes;
        });

    [Theory]
    [InlineData(true, 1, false)]
    [InlineData(true, 3, false)]
    [InlineData(false, 3, false)]
    [InlineData(false, 2, true)]
    public void ForeignKeyJoin_RandomOrdersAndCustomers_NormalisedPerOrderAndEndingAsTheJoinOfTheFinalTables(bool inner, int parallelism, bool rocksDb)
    {
        Gen.Select(Orders, Customers).Sample(
            (orders, customers) =>
            {
                var env = StreamEnvironment.Create(new StreamEnvironmentOptions
                {
                    Parallelism = parallelism,
                    StateBackend = rocksDb ? StateBackend.RocksDb(_directory) : StateBackend.Heap,
                });
                var sink = new CollectingSink<Change<KeyValuePair<string, string>>>();
                JoinOrdersWithCustomers(TableOf(env, orders, name: "orders"), TableOf(env, customers, name: "customers"), inner)
                    .ToChangelogStream()
                    .SinkTo(sink);
                JobRunner.RunAsync(env).GetAwaiter().GetResult();

                Assert.Equal(ExpectedJoin(orders, customers, inner), MaterializeTable(sink.Results).OrderBy(e => e.Key, StringComparer.Ordinal));
            },
            iter: rocksDb ? 5 : 12,
            threads: 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ForeignKeyJoin_OrderMovesAndCustomerChanges_OldResultWithdrawnAndReferencingOrdersUpdated(bool rocksDb)
    {
        var env = StreamEnvironment.Create(new StreamEnvironmentOptions { Parallelism = 2, StateBackend = rocksDb ? StateBackend.RocksDb(_directory) : StateBackend.Heap });
        var orders = TableOf(env, new[]
        {
            Change.Insert(KeyValuePair.Create("o1", new JoinOrder("c1", 10))),
            Change.Insert(KeyValuePair.Create("o2", new JoinOrder("c1", 20))),
            Change.Insert(KeyValuePair.Create("o3", new JoinOrder("c2", 30))),
            Change.UpdateBefore(KeyValuePair.Create("o1", new JoinOrder("c1", 10))),
            Change.UpdateAfter(KeyValuePair.Create("o1", new JoinOrder("c2", 11))),
            Change.Delete(KeyValuePair.Create("o3", new JoinOrder("c2", 30))),
        }, name: "orders");
        var customers = TableOf(env, new[]
        {
            Change.Insert(KeyValuePair.Create("c1", "ann")),
            Change.Insert(KeyValuePair.Create("c2", "bob")),
            Change.UpdateBefore(KeyValuePair.Create("c1", "ann")),
            Change.UpdateAfter(KeyValuePair.Create("c1", "anna")),
            Change.Delete(KeyValuePair.Create("c2", "bob")),
        }, name: "customers");
        var inner = new CollectingSink<Change<KeyValuePair<string, string>>>();
        var left = new CollectingSink<Change<KeyValuePair<string, string>>>();
        JoinOrdersWithCustomers(orders, customers, inner: true).ToChangelogStream().SinkTo(inner);
        JoinOrdersWithCustomers(orders, customers, inner: false).ToChangelogStream().SinkTo(left);
        await JobRunner.RunAsync(env);

        // o1 moved to c2, which was then deleted: no inner result, a padded left result; o2 follows c1's update.
        Assert.Equal([KeyValuePair.Create("o2", "o2:20@anna")], MaterializeTable(inner.Results));
        Assert.Equal([KeyValuePair.Create("o1", "o1:11@"), KeyValuePair.Create("o2", "o2:20@anna")], MaterializeTable(left.Results).OrderBy(e => e.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void ForeignKeyResult_AnswerOvertakingItsLeftChange_IsKeptAndStaleAnswersAreDropped()
    {
        using var result = new DrivenCoProcess<string, ForeignKeyLeftChange<string, JoinOrder>, ForeignKeyResponse<string, string>, Change<KeyValuePair<string, string>>>(
            new ForeignKeyJoinResultFunction<string, JoinOrder, string, string>(inner: true, (o, name) => $"{o.Amount}@{name}", TableJoinOptions.Default),
            l => l.LeftKey,
            r => r.LeftKey,
            StateBackend.Heap,
            new ManualClock(0));

        // The answer for subscription 1 arrives before the left change it answers.
        result.Second(new ForeignKeyResponse<string, string>("o1", 1, true, "ann"));
        result.First(new ForeignKeyLeftChange<string, JoinOrder>("o1", 1, false, false, new JoinOrder("c1", 10)));
        // The order moves to c2 (subscription 2): a late update of c1 still for subscription 1 is stale.
        result.First(new ForeignKeyLeftChange<string, JoinOrder>("o1", 2, false, false, new JoinOrder("c2", 11)));
        result.Second(new ForeignKeyResponse<string, string>("o1", 1, true, "anna"));
        result.Second(new ForeignKeyResponse<string, string>("o1", 2, true, "bob"));
        result.Second(new ForeignKeyResponse<string, string>("o1", 2, false, null));

        Assert.Equal(["+I[[o1, 10@ann]]", "-U[[o1, 10@ann]]", "+U[[o1, 11@bob]]", "-D[[o1, 11@bob]]"], result.Output.Select(o => o.Value.ToString()));
    }

    internal static Table<string, string> JoinOrdersWithCustomers(Table<string, JoinOrder> orders, Table<string, string> customers, bool inner) =>
        inner
            ? orders.Join(customers, o => o.CustomerId!, (o, name) => $"{Id(o)}@{name}")
            : orders.LeftJoin(customers, o => o.CustomerId!, (o, name) => $"{Id(o)}@{name}");

    internal static List<KeyValuePair<string, string>> ExpectedJoin(List<Change<KeyValuePair<string, JoinOrder>>> orders, List<Change<KeyValuePair<string, string>>> customers, bool inner)
    {
        var finalCustomers = MaterializeTable(customers);
        var expected = new List<KeyValuePair<string, string>>();
        foreach (var (key, order) in MaterializeTable(orders))
        {
            string? name = null;
            var found = order.CustomerId is not null && finalCustomers.TryGetValue(order.CustomerId, out name);
            if (found || !inner)
            {
                expected.Add(KeyValuePair.Create(key, $"{Id(order)}@{name}"));
            }
        }

        return [.. expected.OrderBy(e => e.Key, StringComparer.Ordinal)];
    }

    // The amount identifies the order in the expected strings of the fixed scenario (o<amount / 10>).
    private static string Id(JoinOrder order) => $"o{(order.Amount >= 10 ? order.Amount / 10 : order.Amount)}:{order.Amount}";

    private static void Upsert<TValue>(Dictionary<string, TValue> current, List<Change<KeyValuePair<string, TValue>>> changes, string key, TValue? value)
        where TValue : class
    {
        var had = current.TryGetValue(key, out var old);
        if (value is null)
        {
            if (had)
            {
                changes.Add(Change.Delete(KeyValuePair.Create(key, old!)));
                current.Remove(key);
            }
        }
        else if (had)
        {
            changes.Add(Change.UpdateBefore(KeyValuePair.Create(key, old!)));
            changes.Add(Change.UpdateAfter(KeyValuePair.Create(key, value)));
            current[key] = value;
        }
        else
        {
            changes.Add(Change.Insert(KeyValuePair.Create(key, value)));
            current[key] = value;
        }
    }
}
