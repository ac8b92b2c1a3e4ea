namespace Ombaro.Tests.Support;

/// <summary>A user of a test's own, signed in: a row in PostgreSQL and a live Redis session.</summary>
public sealed record TestUser(Guid Id, string Mobile, string Role, string Token);

public static class Users
{
    /// <summary>A fresh E.164 mobile (+91 98..., a MOBILE range for libphonenumber; +91 79... would be a landline) that no other test uses.</summary>
    public static string NewMobile() => OtpLogin.NewMobile();   // one generator: no two tests share a mobile

    public static Task<TestUser> SignInAsync(this IAlbaHost host, string role, string? name = null) =>
        host.Services.SignInAsync(role, name);

    /// <summary>The same on any host's services (e.g. a <see cref="KestrelApp"/>).</summary>
    public static async Task<TestUser> SignInAsync(this IServiceProvider services, string role, string? name = null)
    {
        var mobile = NewMobile();
        var db = services.GetRequiredService<NpgsqlDataSource>();
        await using var conn = await db.OpenConnectionAsync();
        var id = await conn.ExecuteScalarAsync<Guid>(
            "INSERT INTO users (mobile, role, name) VALUES (@mobile, @role, @name) RETURNING id", new { mobile, role, name = name ?? role + " " + mobile });
        var session = await services.GetRequiredService<SessionStore>().CreateAsync(id, role, "127.0.0.1", "tests");
        return new TestUser(id, mobile, role, session.Token);
    }

    /// <summary>A new session for an existing user, e.g. after the state Redis lost every session.</summary>
    public static async Task<TestUser> SignInAgainAsync(this IAlbaHost host, TestUser user)
    {
        var session = await host.Services.GetRequiredService<SessionStore>().CreateAsync(user.Id, user.Role, "127.0.0.1", "tests");
        return user with { Token = session.Token };
    }

    public static Scenario As(this Scenario s, TestUser user)
    {
        s.WithBearerToken(user.Token);
        return s;
    }
}
