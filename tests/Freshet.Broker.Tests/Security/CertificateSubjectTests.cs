using System.Security.Cryptography.X509Certificates;
using Freshet.Broker.Security;

namespace Freshet.Broker.Tests.Security;

/// <summary>Certificate subjects as Kafka's default principal builder writes them (RFC 2253, Java's X500Principal.getName()).</summary>
public sealed class CertificateSubjectTests
{
    [Theory]
    [InlineData("CN=alice, OU=eng, O=Acme, C=US", "CN=alice,OU=eng,O=Acme,C=US")]
    [InlineData("CN=\"Smith, John\", O=\"a+b\"", "CN=Smith\\, John,O=a\\+b")]
    [InlineData("CN=\" padded \"", "CN=\\ padded\\ ")]
    [InlineData("CN=#hash", "CN=\\#hash")]
    public void Rfc2253_WritesMostSpecificFirstWithEscapes(string subject, string expected)
    {
        var name = new X500DistinguishedName(subject);

        Assert.Equal(expected, CertificateSubject.Rfc2253(name));
    }

    [Fact]
    public void Rfc2253_SpecialCharactersAndAttributesWithoutKeyword()
    {
        // The builder encodes its names in the reverse order of the calls (the DER sequence runs root first), so the most
        // specific is added first, as RFC 2253 writes it.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName("quote\"s; less<more>");
        builder.AddEmailAddress("alice@example.com");
        builder.AddDomainComponent("example");
        builder.AddDomainComponent("com");

        Assert.Equal("CN=quote\\\"s\\; less\\<more\\>,1.2.840.113549.1.9.1=#1611616c696365406578616d706c652e636f6d,DC=example,DC=com", CertificateSubject.Rfc2253(builder.Build()));
    }
}
