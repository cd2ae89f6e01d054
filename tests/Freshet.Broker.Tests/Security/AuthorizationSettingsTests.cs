using Freshet.Broker.Configuration;
using Freshet.Broker.Security;

namespace Freshet.Broker.Tests.Security;

/// <summary>The authorization properties of a broker's properties file.</summary>
public class AuthorizationSettingsTests
{
    [Fact]
    public void Apply_AuthorizerSuperUsersAllowEveryone_SetAuthorizationOptions()
    {
        var options = BrokerConfiguration.Apply(new BrokerOptions(),
        [
            new("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
            new("super.users", "User:admin; User:ops"),
            new("allow.everyone.if.no.acl.found", "true"),
        ]);

        Assert.True(options.Authorization.Enabled);
        Assert.Equal([KafkaPrincipal.User("admin"), KafkaPrincipal.User("ops")], options.Authorization.SuperUsers);
        Assert.True(options.Authorization.AllowEveryoneIfNoAclFound);
    }

    [Fact]
    public void Apply_Nothing_AuthorizationOff()
    {
        var options = BrokerConfiguration.Apply(new BrokerOptions(), []);

        Assert.False(options.Authorization.Enabled);
        Assert.False(BrokerConfiguration.Apply(new BrokerOptions(), [new("authorizer.class.name", " ")]).Authorization.Enabled);
    }

    [Fact]
    public void Apply_SuperUserWithoutType_RefusedNamingTheProperty()
    {
        var e = Assert.Throws<BrokerConfigurationException>(() => BrokerConfiguration.Apply(new BrokerOptions(), [new("super.users", "admin")]));

        Assert.Contains("super.users", e.Message, StringComparison.Ordinal);
    }
}
