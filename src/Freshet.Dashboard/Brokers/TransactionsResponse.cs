using Freshet.Broker.Inspection;

namespace Freshet.Dashboard.Brokers;

/// <summary><c>GET /api/transactions</c>: the transactional producers the broker knows, with the partitions of open transactions.</summary>
internal sealed record TransactionsResponse(IReadOnlyList<TransactionOverview> Transactions);
