namespace Freshet.Streaming.Tables;

/// <summary>
/// A left row's subscription to (or withdrawal from) the right row of a foreign key, sent from the left key's subtask
/// to the foreign key's (KIP-213's <c>SubscriptionWrapper</c>). <see cref="Sequence"/> numbers the left key's
/// subscriptions; it grows by one each time the left row changes its foreign key or is deleted.
/// </summary>
internal readonly record struct ForeignKeySubscription<TKey, TOtherKey>(bool Subscribe, TOtherKey ForeignKey, TKey LeftKey, long Sequence);

/// <summary>
/// The right row of a subscription's foreign key, sent back to the left key's subtask (KIP-213's
/// <c>SubscriptionResponseWrapper</c>): on subscribing and on each change of the right row. <see cref="Found"/> is
/// false when the foreign key has no right row (<see cref="Right"/> is then <c>default</c>). The left side drops a
/// response whose <see cref="Sequence"/> is not its current subscription's: it answers an older foreign key.
/// </summary>
internal readonly record struct ForeignKeyResponse<TKey, TOther>(TKey LeftKey, long Sequence, bool Found, TOther? Right);

/// <summary>
/// A left row change as the result side sees it: the row (or its deletion) and the sequence of the subscription that
/// will answer for its foreign key. <see cref="NoForeignKey"/> means the foreign key is null: no right row can match.
/// </summary>
internal readonly record struct ForeignKeyLeftChange<TKey, TValue>(TKey LeftKey, long Sequence, bool Deleted, bool NoForeignKey, TValue? Value);
