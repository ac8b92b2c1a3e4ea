namespace Ombaro.Api.Infrastructure.Auth;

public sealed class AccountOptions
{
    public const string Section = "Auth";

    /// <summary>Mobiles that become admins when they first sign in (bootstrap; later admins are provisioned by an admin).</summary>
    public List<string> AdminMobiles { get; set; } = [];
}

/// <summary>Users as the login sees them: found by mobile, or created on first sign-in (customers; bootstrap admins).</summary>
public sealed class UserAccounts(NpgsqlDataSource db, IOptions<AccountOptions> options)
{
    public sealed record Account(Guid Id, string Role, string Status, bool IsNew);

    public static readonly IReadOnlyDictionary<string, string> ProfileTables = new Dictionary<string, string>
    {
        [Roles.Customer] = "customer_profiles", [Roles.Therapist] = "therapist_profiles", [Roles.Vendor] = "vendor_profiles",
        [Roles.Employee] = "employee_profiles", [Roles.Admin] = "admin_profiles",
    };

    /// <summary>
    /// The account of a verified mobile, created when new. Concurrent first logins of one mobile are safe:
    /// the unique mobile decides (ON CONFLICT), and the loser reads the winner's row.
    /// </summary>
    public async Task<Account> SignInAsync(string mobile, string? ip, CancellationToken ct)
    {
        var role = options.Value.AdminMobiles.Select(MobileNumber.Normalize).Contains(mobile) ? Roles.Admin : Roles.Customer;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var created = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "INSERT INTO users (mobile, role) VALUES (@mobile, @role) ON CONFLICT (mobile) DO NOTHING RETURNING id",
            new { mobile, role }, tx, cancellationToken: ct));
        if (created is { } id)
        {
            await CreateProfileAsync(conn, tx, id, role, ct);
            if (role == Roles.Admin)
                await AuditLog.WriteAsync(tx, Self(id, role), ip, "user.bootstrap-admin", "user", id, null, new { mobile, role }, ct);
            await tx.CommitAsync(ct);
            return new Account(id, role, UserStatus.Active, IsNew: true);
        }
        await tx.CommitAsync(ct);
        var existing = await conn.QuerySingleAsync<(Guid Id, string Role, string Status)>(new CommandDefinition(
            "SELECT id, role, status FROM users WHERE mobile = @mobile", new { mobile }, cancellationToken: ct));
        return new Account(existing.Id, existing.Role, existing.Status, IsNew: false);
    }

    /// <summary>A bootstrap admin is created by configuration; the audit names the new admin as the actor.</summary>
    static ClaimsPrincipal Self(Guid id, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, id.ToString()), new Claim(ClaimTypes.Role, role)], "bootstrap"));

    /// <summary>The (empty) profile row of the user's role, if it is not there yet.</summary>
    public static Task CreateProfileAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid userId, string role, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO {ProfileTables[role]} (user_id) VALUES (@userId) ON CONFLICT DO NOTHING", new { userId }, tx, cancellationToken: ct));
}
