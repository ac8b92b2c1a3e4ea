namespace Ombaro.Api.Features.Desks;

/// <summary>
/// The role desks' caches (<c>ombaro:cache:{area}:...</c>): their TTLs, and the generation families that
/// writes bump. Every key carries its family's generation, so one bump makes all of an owner's entries
/// (every period, date or filter) unreachable at once.
/// </summary>
public static class DeskCaches
{
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Medium = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    public static string Earnings(Guid therapistId) => $"earnings:{therapistId}";
    public static string VendorDashboard(Guid vendorId) => $"vendor-dashboard:{vendorId}";
    public static string EmployeeReports(Guid employeeId) => $"employee-reports:{employeeId}";
    public const string AdminDashboard = "admin-dashboard";
    public const string AdminRevenue = "admin-revenue";
    public const string Users = "users";

    /// <summary><c>ombaro:cache:{area}:{parts...}:g{generation}</c> with the family's current generation.</summary>
    public static async Task<RedisKey> KeyAsync(this CacheAside cache, string area, string family, params object[] parts) =>
        RedisKeys.Cache(area, [.. parts, "g" + await cache.GenerationAsync(family)]);

    public static RedisKey VendorRoster(Guid vendorId) => RedisKeys.Cache("vendor-therapists", vendorId);
}
