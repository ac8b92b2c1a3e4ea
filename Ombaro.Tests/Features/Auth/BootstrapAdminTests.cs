namespace Ombaro.Tests.Features.Auth;

public sealed class BootstrapAdminTests
{
    [Fact]
    public async Task a_configured_mobile_becomes_an_admin_on_first_login()
    {
        var admin = OtpLogin.NewMobile();
        await using var host = await ApiFixture.StartHostAsync(new Dictionary<string, string?> { ["Auth:AdminMobiles:0"] = "0" + admin[3..] });

        var login = await host.LoginAsync(admin);
        var other = await host.LoginAsync(OtpLogin.NewMobile());

        Assert.Equal("admin", login.GetProperty("user").GetProperty("role").GetString());
        Assert.True(login.GetProperty("user").GetProperty("isNew").GetBoolean());
        Assert.Equal("customer", other.GetProperty("user").GetProperty("role").GetString());
    }
}
