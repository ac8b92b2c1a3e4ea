namespace Ombaro.Api.Features.Employee;

/// <summary>An employee's territory: a city, assigned by an admin (<c>employee_profiles.territory</c>).</summary>
public static class Territory
{
    public static Task<string?> OfAsync(NpgsqlConnection conn, Guid employeeId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT territory FROM employee_profiles WHERE user_id = @employeeId", new { employeeId }, cancellationToken: ct));

    /// <summary>The SQL condition "vendor <c>v</c> lies in territory <c>@Territory</c>" (cities compare case-insensitively).</summary>
    public const string Contains = "lower(v.city) = lower(@Territory)";
}
