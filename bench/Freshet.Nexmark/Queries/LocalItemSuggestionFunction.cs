using Freshet.Nexmark.Model;
using Freshet.Streaming.Functions;
using Freshet.Streaming.State;

namespace Freshet.Nexmark.Queries;

/// <summary>
/// q3's regular join, keyed by person id: keeps the person and every auction of theirs (neither side expires, as in
/// the SQL join) and emits each (person, auction) pair once, when the later of the two arrives.
/// </summary>
internal sealed class LocalItemSuggestionFunction : KeyedProcessFunction<long, NexmarkEvent, Q3Result>
{
    private ValueState<Person?> _person = null!;
    private ValueState<List<long>?> _auctions = null!;

    public override void Open(RuntimeContext context)
    {
        _person = context.GetState(new ValueStateDescriptor<Person?>("person"));
        _auctions = context.GetState(new ValueStateDescriptor<List<long>?>("auctions"));
    }

    public override void ProcessElement(NexmarkEvent value, KeyedProcessContext<long> context, Collector<Q3Result> output)
    {
        if (value.Kind == EventKind.Person)
        {
            var person = value.Person!;
            _person.Update(person);
            if (_auctions.Value is { } earlier)
            {
                foreach (var auction in earlier)
                {
                    output.Collect(new Q3Result(person.Name, person.City, person.State, auction));
                }
            }
        }
        else
        {
            var auctions = _auctions.Value;
            if (auctions is null)
            {
                auctions = [];
                _auctions.Update(auctions);
            }

            auctions.Add(value.Auction!.Id);
            if (_person.Value is { } seller)
            {
                output.Collect(new Q3Result(seller.Name, seller.City, seller.State, value.Auction.Id));
            }
        }
    }
}
