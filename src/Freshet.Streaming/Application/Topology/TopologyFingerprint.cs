using System.Security.Cryptography;
using System.Text;
using Freshet.Streaming.Planning;

namespace Freshet.Streaming.Application.Topology;

/// <summary>
/// A short, stable identity of a job graph: the first 8 bytes of a SHA-256, in hexadecimal, over a canonical text of
/// every node in graph order — its kind and record types, name, uid, inputs with their partitioning, key type,
/// side-output tag and source topic. Two processes built from the same code get the same fingerprint on any machine
/// and in any run; a process whose graph differs in any of these is refused by the group (both fingerprints named).
/// What it cannot see: the bodies of user functions and the settings captured in them, so a change there keeps the
/// fingerprint (as a change of a Kafka Streams processor's code keeps its topology description). Pure; thread-safe.
/// </summary>
internal static class TopologyFingerprint
{
    public static string Of(IReadOnlyList<Transformation> nodes) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Describe(nodes))).AsSpan(0, 8));

    /// <summary>The canonical text the fingerprint hashes, one line per node (also what a mismatch report can show).</summary>
    public static string Describe(IReadOnlyList<Transformation> nodes)
    {
        var text = new StringBuilder();
        foreach (var node in nodes)
        {
            text.Append(node.Id).Append(' ').Append(TypeName(node.GetType()))
                .Append(" name=").Append(node.Name)
                .Append(" uid=").Append(node.Uid);
            for (var input = 0; input < node.Inputs.Count; input++)
            {
                text.Append(" in=").Append(node.Inputs[input].Id).Append('/').Append(node.PartitioningOf(input));
            }

            if (node.KeyType is { } keyType)
            {
                text.Append(" key=").Append(TypeName(keyType));
            }

            if (node.SideOutputTagId is { } tag)
            {
                text.Append(" tag=").Append(tag);
            }

            if (node.SourceTopic is { } topic)
            {
                text.Append(" topic=").Append(topic);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>A type's namespace-qualified name with its type arguments, free of assembly versions (which differ between builds).</summary>
    internal static string TypeName(Type type)
    {
        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!) + "[" + new string(',', type.GetArrayRank() - 1) + "]";
        }

        // A nested type's arguments include its declaring types' arguments, so the names of the declaring types are
        // written without arguments and every argument once, at the end.
        var name = type.Name;
        for (var outer = type.DeclaringType; outer is not null; outer = outer.DeclaringType)
        {
            name = outer.Name + "+" + name;
        }

        name = type.Namespace + "." + name;
        if (!type.IsGenericType)
        {
            return name;
        }

        var arguments = type.GetGenericArguments();
        return arguments.Length == 0 ? name : name + "<" + string.Join(",", arguments.Select(TypeName)) + ">";
    }
}
