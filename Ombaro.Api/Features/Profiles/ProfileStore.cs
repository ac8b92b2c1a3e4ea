namespace Ombaro.Api.Features.Profiles;

/// <summary>What the profile slices share: the fixed choices, and the profile read through the cache.</summary>
public static class ProfileStore
{
    public const string CacheName = "profile";
    public static readonly TimeSpan Ttl = TimeSpan.FromMinutes(5);
    public static readonly string[] Genders = ["female", "male", "other"];
    public static readonly string[] GenderPreferences = ["any", "female", "male"];

    /// <summary>The cached profile, loaded from PostgreSQL on a miss; null when the user is gone.</summary>
    public static Task<Profile?> GetAsync(CacheAside cache, NpgsqlDataSource db, string role, Guid userId, CancellationToken ct) =>
        cache.GetOrLoadAsync(CacheName, RedisKeys.Profile(role, userId), Ttl, c => LoadAsync(db, role, userId, c), ct);

    public static async Task<Profile?> LoadAsync(NpgsqlDataSource db, string role, Guid userId, CancellationToken ct)
    {
        var columns = role switch
        {
            Roles.Customer => "p.full_name, p.email, p.gender, p.date_of_birth, p.default_address",
            Roles.Therapist => "p.full_name, p.email, p.gender, coalesce(p.gender_preference, 'any') AS gender_preference, p.bio, coalesce(p.specialities, '{}') AS specialities, p.years_experience",
            Roles.Vendor => "p.contact_name AS full_name, p.email, p.business_name, p.contact_name",
            Roles.Employee => "p.full_name, p.email, p.employee_code, p.territory",
            Roles.Admin => "p.full_name, p.email",
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
        };
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"""
            SELECT u.id AS user_id, u.role, u.mobile, u.name, {columns}, p.updated_at
            FROM users u LEFT JOIN {role}_profiles p ON p.user_id = u.id
            WHERE u.id = @userId AND u.role = @role
            """, new { userId, role }, cancellationToken: ct));
        return row?.ToProfile();
    }

    sealed class Row
    {
        public Guid User_Id { get; set; }
        public string Role { get; set; } = "";
        public string Mobile { get; set; } = "";
        public string? Name { get; set; }
        public string? Full_Name { get; set; }
        public string? Email { get; set; }
        public string? Gender { get; set; }
        public DateTime? Date_Of_Birth { get; set; }
        public string? Default_Address { get; set; }
        public string? Gender_Preference { get; set; }
        public string? Bio { get; set; }
        public string[]? Specialities { get; set; }
        public int? Years_Experience { get; set; }
        public string? Business_Name { get; set; }
        public string? Contact_Name { get; set; }
        public string? Employee_Code { get; set; }
        public string? Territory { get; set; }
        public DateTime? Updated_At { get; set; }

        public Profile ToProfile() => new()
        {
            UserId = User_Id, Role = Role, Mobile = Mobile, FullName = Full_Name ?? Name, Email = Email, Gender = Gender,
            DateOfBirth = Date_Of_Birth is { } dob ? DateOnly.FromDateTime(dob) : null, DefaultAddress = Default_Address,
            GenderPreference = Gender_Preference, Bio = Bio, Specialities = Specialities, YearsExperience = Years_Experience,
            BusinessName = Business_Name, ContactName = Contact_Name, EmployeeCode = Employee_Code, Territory = Territory,
            UpdatedAt = Updated_At,
        };
    }
}
