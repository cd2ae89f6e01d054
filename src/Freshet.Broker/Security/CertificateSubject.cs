using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Freshet.Broker.Security;

/// <summary>
/// Writes a certificate subject as RFC 2253 text, the form Kafka's default principal builder gives TLS clients
/// (Java's <c>X500Principal.getName()</c>): the most specific name first, <c>CN=alice,OU=eng,O=Acme,C=US</c>, no space
/// after commas, the special characters <c>, + " \ &lt; &gt; ;</c> escaped with a backslash. Attributes without an RFC
/// 2253 keyword are written as their dotted OID and <c>#</c> followed by the hex of their DER value, as Java does.
/// Pure; thread-safe.
/// </summary>
internal static class CertificateSubject
{
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "STREET",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["0.9.2342.19200300.100.1.25"] = "DC",
    };

    /// <summary>The principal Kafka gives a client presenting <paramref name="certificate"/>: <c>User:</c> and its subject in RFC 2253 form.</summary>
    public static KafkaPrincipal PrincipalOf(X509Certificate2 certificate) => KafkaPrincipal.User(Rfc2253(certificate.SubjectName));

    /// <summary>The RFC 2253 text of <paramref name="name"/>; a name that does not decode gives .NET's own rendering.</summary>
    public static string Rfc2253(X500DistinguishedName name)
    {
        try
        {
            var reader = new AsnReader(name.RawData, AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var relativeNames = new List<string>();
            while (sequence.HasData)
            {
                var set = sequence.ReadSetOf();
                var attributes = new List<string>();
                while (set.HasData)
                {
                    var attribute = set.ReadSequence();
                    var oid = attribute.ReadObjectIdentifier();
                    var value = attribute.ReadEncodedValue();
                    attribute.ThrowIfNotEmpty();
                    attributes.Add(Attribute(oid, value));
                }

                relativeNames.Add(string.Join('+', attributes));
            }

            // The DER sequence runs from the root (C) to the most specific name (CN); RFC 2253 writes it backwards.
            relativeNames.Reverse();
            return string.Join(',', relativeNames);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return name.Name;
        }
    }

    private static string Attribute(string oid, ReadOnlyMemory<byte> value)
    {
        if (Keywords.TryGetValue(oid, out var keyword) && TryReadString(value, out var text))
        {
            return keyword + "=" + Escape(text);
        }

        return oid + "=#" + Convert.ToHexStringLower(value.Span);
    }

    private static bool TryReadString(ReadOnlyMemory<byte> value, out string text)
    {
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        var tag = reader.PeekTag();
        if (tag.TagClass == TagClass.Universal && tag.TagValue is (int)UniversalTagNumber.UTF8String or (int)UniversalTagNumber.PrintableString
                or (int)UniversalTagNumber.IA5String or (int)UniversalTagNumber.BMPString or (int)UniversalTagNumber.T61String
                or (int)UniversalTagNumber.UniversalString or (int)UniversalTagNumber.VisibleString)
        {
            text = reader.ReadCharacterString((UniversalTagNumber)tag.TagValue);
            return true;
        }

        text = "";
        return false;
    }

    private static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 4);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var special = c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                || (i == 0 && c is '#' or ' ')
                || (i == value.Length - 1 && c == ' ');
            if (special)
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
