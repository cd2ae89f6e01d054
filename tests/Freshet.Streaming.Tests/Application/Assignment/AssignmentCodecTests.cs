using System.Buffers.Binary;
using CsCheck;
using Freshet.Streaming.Application.Assignment;

namespace Freshet.Streaming.Tests.Application.Assignment;

/// <summary>
/// The JoinGroup subscription and SyncGroup assignment codecs: round trip for any value, a fixed byte layout, and
/// hostile bytes (random, truncated, corrupted, huge counts, newer versions) rejected with
/// <see cref="InvalidDataException"/> and bounded allocation.
/// </summary>
public sealed class AssignmentCodecTests
{
    private static readonly Gen<TaskId> Tasks = Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], (s, p) => new TaskId(s, p));

    private static readonly Gen<TaskId> SmallTasks = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 20], (s, p) => new TaskId(s, p));

    private static readonly Gen<string> Text = Gen.Char["abcxyz0129_-:.é漢"].Array[0, 40].Select(chars => new string(chars));

    private static readonly Gen<MemberSubscription> Subscriptions =
        Gen.Select(
            Gen.Guid,
            Text,
            Gen.OneOf(Tasks, SmallTasks).ArrayUnique[0, 12],
            SmallTasks.ArrayUnique[0, 12],
            Gen.Select(SmallTasks.ArrayUnique[0, 12], Gen.Long.Array[12]),
            Gen.Select(Gen.Bool, Text))
        .Select((process, fingerprint, active, standby, sums, endpoint) => new MemberSubscription(
            process,
            fingerprint,
            active,
            standby,
            sums.Item1.Select((task, i) => (task, sums.Item2[i])).ToDictionary(entry => entry.task, entry => entry.Item2),
            endpoint.Item1 ? null : endpoint.Item2));

    private static readonly Gen<TaskAssignment> Assignments =
        Gen.Select(Gen.OneOf(Gen.Const(AssignmentError.None), Gen.Const(AssignmentError.TopologyMismatch), Gen.Const(AssignmentError.UnreadableSubscription)),
                Text, Tasks.ArrayUnique[0, 12], SmallTasks.ArrayUnique[0, 12])
            .Select((error, fingerprint, active, standby) => new TaskAssignment(error, fingerprint, active, standby));

    [Fact]
    public void MemberSubscription_DecodeOfEncode_ReturnsTheSubscription() =>
        Subscriptions.Sample(subscription => Assert.Equal(subscription, MemberSubscription.Decode(subscription.Encode())), iter: 500);

    [Fact]
    public void TaskAssignment_DecodeOfEncode_ReturnsTheAssignment() =>
        Assignments.Sample(assignment => Assert.Equal(assignment, TaskAssignment.Decode(assignment.Encode())), iter: 500);

    [Fact]
    public void MemberSubscription_Encode_BigEndianLayout()
    {
        var subscription = new MemberSubscription(
            new Guid("00112233-4455-6677-8899-aabbccddeeff"),
            "fp",
            [new TaskId(0, 3)],
            [],
            new Dictionary<TaskId, long> { [new TaskId(1, 2)] = 0x0102 },
            null);
        byte[] expected =
        [
            1,
            0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff,
            0, 2, (byte)'f', (byte)'p',
            0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3,
            0, 0, 0, 0,
            0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0x01, 0x02,
            0xff, 0xff,
        ];
        Assert.Equal(expected, subscription.Encode());
    }

    [Fact]
    public void TaskAssignment_Encode_BigEndianLayout()
    {
        var assignment = new TaskAssignment(AssignmentError.TopologyMismatch, "g", [], [new TaskId(2, 1)]);
        byte[] expected = [1, 0, 1, 0, 1, (byte)'g', 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1];
        Assert.Equal(expected, assignment.Encode());
    }

    [Fact]
    public void Decode_EveryTruncation_InvalidData()
    {
        Gen.Select(Subscriptions, Assignments).Sample((subscription, assignment) =>
        {
            var encoded = subscription.Encode();
            for (var length = 0; length < encoded.Length; length++)
            {
                Assert.Throws<InvalidDataException>(() => MemberSubscription.Decode(encoded.AsSpan(0, length)));
            }

            encoded = assignment.Encode();
            for (var length = 0; length < encoded.Length; length++)
            {
                Assert.Throws<InvalidDataException>(() => TaskAssignment.Decode(encoded.AsSpan(0, length)));
            }
        }, iter: 200);
    }

    [Fact]
    public void Decode_TrailingByte_InvalidData()
    {
        Gen.Select(Subscriptions, Assignments).Sample((subscription, assignment) =>
        {
            Assert.Throws<InvalidDataException>(() => MemberSubscription.Decode([.. subscription.Encode(), 0]));
            Assert.Throws<InvalidDataException>(() => TaskAssignment.Decode([.. assignment.Encode(), 0]));
        });
    }

    [Fact]
    public void Decode_RandomBytes_DecodesOrInvalidData()
    {
        // Half the inputs start with the current version so the fuzzing reaches past the version check.
        Gen.Select(Gen.Byte.Array[0, 120], Gen.Bool).Sample((bytes, versioned) =>
        {
            if (versioned && bytes.Length > 0)
            {
                bytes[0] = 1;
            }

            DecodesOrInvalidData(bytes);
        }, iter: 5000);
    }

    [Fact]
    public void Decode_OneByteCorrupted_DecodesOrInvalidData()
    {
        Gen.Select(Subscriptions, Assignments, Gen.Int[0, int.MaxValue], Gen.Byte).Sample((subscription, assignment, at, value) =>
        {
            foreach (var encoded in new[] { subscription.Encode(), assignment.Encode() })
            {
                encoded[at % encoded.Length] = value;
                DecodesOrInvalidData(encoded);
            }
        }, iter: 3000);
    }

    [Fact]
    public void Decode_NewerVersion_InvalidDataNamingTheVersion()
    {
        var subscription = new MemberSubscription(Guid.NewGuid(), "fp", [], [], new Dictionary<TaskId, long>(), null).Encode();
        subscription[0] = 2;
        var error = Assert.Throws<InvalidDataException>(() => MemberSubscription.Decode(subscription));
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);

        var assignment = TaskAssignment.Refused(AssignmentError.None, "fp").Encode();
        assignment[0] = 7;
        error = Assert.Throws<InvalidDataException>(() => TaskAssignment.Decode(assignment));
        Assert.Contains("version 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TaskAssignment_Decode_UnknownErrorCode_InvalidData()
    {
        var bytes = TaskAssignment.Refused(AssignmentError.None, "fp").Encode();
        BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(1), 99);
        var error = Assert.Throws<InvalidDataException>(() => TaskAssignment.Decode(bytes));
        Assert.Contains("error code 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_HugeCounts_InvalidDataWithoutAllocatingForThem()
    {
        // Version, process id, empty fingerprint, then an active-task count of int.MaxValue with nothing behind it:
        // a decoder that trusted the count would ask for 16 GiB.
        var subscription = new byte[1 + 16 + 2 + 4];
        subscription[0] = 1;
        BinaryPrimitives.WriteInt32BigEndian(subscription.AsSpan(19), int.MaxValue);
        var assignment = new byte[] { 1, 0, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff };

        MemberSubscription.Decode(new MemberSubscription(Guid.Empty, "", [], [], new Dictionary<TaskId, long>(), null).Encode());
        Assert.Throws<InvalidDataException>(() => MemberSubscription.Decode(subscription));
        Assert.Throws<InvalidDataException>(() => TaskAssignment.Decode(assignment));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() => MemberSubscription.Decode(subscription));
        Assert.Throws<InvalidDataException>(() => TaskAssignment.Decode(assignment));
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 64 * 1024);
        Assert.Contains("count 2147483647", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_InvalidUtf8Fingerprint_InvalidData()
    {
        var bytes = new MemberSubscription(Guid.Empty, "ab", [], [], new Dictionary<TaskId, long>(), null).Encode();
        bytes[19] = 0xff;
        Assert.Throws<InvalidDataException>(() => MemberSubscription.Decode(bytes));
    }

    [Fact]
    public void Decode_DuplicateTask_InvalidData()
    {
        var bytes = new MemberSubscription(Guid.Empty, "", [new TaskId(0, 1), new TaskId(0, 2)], [], new Dictionary<TaskId, long>(), null).Encode();
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1 + 16 + 2 + 4 + 8 + 4), 1);
        var error = Assert.Throws<InvalidDataException>(() => MemberSubscription.Decode(bytes));
        Assert.Contains("0_1 twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_DuplicateTaskOrOverlongFingerprint_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new TaskAssignment(AssignmentError.None, "", [new TaskId(0, 1), new TaskId(0, 1)], []).Encode());
        Assert.Throws<ArgumentException>(() => new TaskAssignment(AssignmentError.None, new string('x', 40_000), [], []).Encode());
    }

    private static void DecodesOrInvalidData(byte[] bytes)
    {
        try
        {
            MemberSubscription.Decode(bytes);
        }
        catch (InvalidDataException)
        {
        }

        try
        {
            TaskAssignment.Decode(bytes);
        }
        catch (InvalidDataException)
        {
        }
    }
}
