namespace Ombaro.Api.Features.Profiles;

/// <summary>
/// A user's profile as stored in PostgreSQL (<c>users</c> + the role's <c>*_profiles</c> row), cached at
/// <c>ombaro:profile:{role}:{user_id}</c> for 5 minutes. Fields of other roles are left out of the JSON.
/// </summary>
public sealed record Profile
{
    public Guid UserId { get; init; }
    public string Role { get; init; } = "";
    public string Mobile { get; init; } = "";
    public string? FullName { get; init; }
    public string? Email { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Gender { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DateOnly? DateOfBirth { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DefaultAddress { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? GenderPreference { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Bio { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string[]? Specialities { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? YearsExperience { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? BusinessName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? ContactName { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? EmployeeCode { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Territory { get; init; }
    public DateTime? UpdatedAt { get; init; }
}
