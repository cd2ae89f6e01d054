using Freshet.Broker.Security.Authorization;

namespace Freshet.Cli.Acls;

/// <summary>Prints ACLs as Kafka's <c>kafka-acls --list</c> does: per resource pattern, its entries. Stateless; thread-safe.</summary>
internal static class AclsOutput
{
    /// <summary>Writes <paramref name="acls"/> grouped by resource pattern, in the order given; a line saying so when there are none.</summary>
    public static void Write(IReadOnlyList<AclBinding> acls, TextWriter output)
    {
        if (acls.Count == 0)
        {
            output.WriteLine("No ACLs.");
            return;
        }

        foreach (var group in acls.GroupBy(static a => a.Pattern))
        {
            output.WriteLine($"Current ACLs for resource `ResourcePattern(resourceType={Upper(group.Key.ResourceType)}, name={group.Key.Name}, patternType={Upper(group.Key.PatternType)})`:");
            foreach (var acl in group)
            {
                output.WriteLine($"\t(principal={acl.Entry.Principal}, host={acl.Entry.Host}, operation={Upper(acl.Entry.Operation)}, permissionType={Upper(acl.Entry.Permission)})");
            }

            output.WriteLine();
        }
    }

    /// <summary>Kafka's spelling of an enum value: TRANSACTIONAL_ID, DESCRIBE_CONFIGS.</summary>
    public static string Upper<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(name[i]));
        }

        return builder.ToString();
    }
}
