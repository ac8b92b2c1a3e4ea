namespace Ombaro.Api.Infrastructure.Auth;

/// <summary>The five roles; each is also the name of an authorization policy that requires it.</summary>
public static class Roles
{
    public const string Customer = "customer";
    public const string Therapist = "therapist";
    public const string Vendor = "vendor";
    public const string Employee = "employee";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Customer, Therapist, Vendor, Employee, Admin];

    public static bool IsValid(string? role) => role is not null && All.Contains(role);
}

/// <summary>A user's status: only an active user signs in and keeps a session.</summary>
public static class UserStatus
{
    public const string Active = "active", Suspended = "suspended", Deactivated = "deactivated";

    public static readonly IReadOnlyList<string> All = [Active, Suspended, Deactivated];
}
