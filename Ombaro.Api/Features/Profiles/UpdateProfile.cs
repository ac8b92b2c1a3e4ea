using Ombaro.Api.Features.Admin;

namespace Ombaro.Api.Features.Profiles;

/// <summary>
/// <c>PUT /api/v1/profile</c>: replaces the editable fields of the caller's profile. PostgreSQL first, then the
/// profile cache and the user snapshot are invalidated together, so the next read is fresh; a new name also
/// reaches the admin user list.
/// </summary>
public sealed class UpdateProfile : ICarterModule
{
    public sealed record Request(
        string? FullName = null, string? Email = null, string? Gender = null,
        DateOnly? DateOfBirth = null, string? DefaultAddress = null,
        string? GenderPreference = null, string? Bio = null, string[]? Specialities = null, int? YearsExperience = null,
        string? BusinessName = null, string? ContactName = null,
        string? EmployeeCode = null, string? Territory = null);

    /// <summary>Formats of every field; which fields a role may (or must) send is <see cref="RoleErrors"/>.</summary>
    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(r => r.FullName).Length(2, 100).Must(NoControlCharacters).WithMessage("Names must not contain control characters.");
            RuleFor(r => r.ContactName).Length(2, 100).Must(NoControlCharacters).WithMessage("Names must not contain control characters.");
            RuleFor(r => r.BusinessName).Length(2, 120).Must(NoControlCharacters).WithMessage("Names must not contain control characters.");
            RuleFor(r => r.Email).MaximumLength(254).EmailAddress();
            RuleFor(r => r.Gender).Must(g => g is null || ProfileStore.Genders.Contains(g))
                .WithMessage($"Gender must be one of: {string.Join(", ", ProfileStore.Genders)}.");
            RuleFor(r => r.GenderPreference).Must(g => g is null || ProfileStore.GenderPreferences.Contains(g))
                .WithMessage($"Gender preference must be one of: {string.Join(", ", ProfileStore.GenderPreferences)}.");
            RuleFor(r => r.DateOfBirth)
                .Must(d => d is null || d.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(-16))
                .WithMessage("Customers must be at least 16 years old.")
                .Must(d => d is null || d.Value.Year >= 1900).WithMessage("The date of birth is not plausible.");
            RuleFor(r => r.DefaultAddress).MaximumLength(300);
            RuleFor(r => r.Bio).MaximumLength(1000);
            RuleFor(r => r.Specialities).Must(s => s is null || s.Length <= 10).WithMessage("At most 10 specialities.");
            RuleForEach(r => r.Specialities).NotEmpty().MaximumLength(40);
            RuleFor(r => r.YearsExperience).InclusiveBetween(0, 60);
        }

        static bool NoControlCharacters(string? s) => s is null || !s.Any(char.IsControl);
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapProfileApi().MapPut("", Handle).Validate<Request>()
            .WithName("UpdateProfile").WithSummary("Replaces the editable fields of the signed-in user's profile.");

    sealed record Named(string? Name);

    static async Task<Results<Ok<Profile>, ValidationProblem, NotFound>> Handle(
        Request request, ClaimsPrincipal user, NpgsqlDataSource db, UserCaches users, TimeProvider clock, CancellationToken ct)
    {
        var (role, userId) = (user.Role(), user.UserId());
        if (RoleErrors(role, request) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);

        var name = role == Roles.Vendor ? request.ContactName : request.FullName;
        var now = clock.GetUtcNow();
        bool renamed;
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var before = await conn.QuerySingleOrDefaultAsync<Named>(new CommandDefinition(
                "SELECT name FROM users WHERE id = @userId AND role = @role FOR UPDATE", new { userId, role }, tx, cancellationToken: ct));
            if (before is null) return TypedResults.NotFound();
            renamed = before.Name != name;
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET name = @name, updated_at = @now WHERE id = @userId", new { name, userId, now }, tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(Upsert(role), new
            {
                userId, request.FullName, request.Email, request.Gender,
                DateOfBirth = request.DateOfBirth?.ToDateTime(TimeOnly.MinValue), request.DefaultAddress,
                GenderPreference = request.GenderPreference ?? "any", request.Bio, Specialities = request.Specialities ?? [],
                request.YearsExperience, request.BusinessName, request.ContactName, now,
            }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        await users.ProfileChangedAsync(userId, role, listed: renamed);
        return await ProfileStore.LoadAsync(db, role, userId, ct) is { } profile ? TypedResults.Ok(profile) : TypedResults.NotFound();
    }

    /// <summary>Per role: the fields it must send, and the ones that are not its own (or that only an admin sets).</summary>
    internal static Dictionary<string, string[]> RoleErrors(string role, Request r)
    {
        var errors = new Dictionary<string, string[]>();
        void Required(string field, object? value)
        {
            if (value is null) errors[field] = [$"'{field}' is required for a {role} profile."];
        }
        void NotOwn(string field, object? value, string why)
        {
            if (value is not null) errors[field] = [$"'{field}' {why}"];
        }
        var notFor = $"is not part of a {role} profile.";
        if (role == Roles.Vendor)
        {
            Required("businessName", r.BusinessName);
            Required("contactName", r.ContactName);
            NotOwn("fullName", r.FullName, notFor);
        }
        else
        {
            Required("fullName", r.FullName);
            NotOwn("businessName", r.BusinessName, notFor);
            NotOwn("contactName", r.ContactName, notFor);
        }
        if (role is not (Roles.Customer or Roles.Therapist)) NotOwn("gender", r.Gender, notFor);
        if (role != Roles.Customer)
        {
            NotOwn("dateOfBirth", r.DateOfBirth, notFor);
            NotOwn("defaultAddress", r.DefaultAddress, notFor);
        }
        if (role != Roles.Therapist)
        {
            NotOwn("genderPreference", r.GenderPreference, notFor);
            NotOwn("bio", r.Bio, notFor);
            NotOwn("specialities", r.Specialities, notFor);
            NotOwn("yearsExperience", r.YearsExperience, notFor);
        }
        NotOwn("employeeCode", r.EmployeeCode, "is assigned by an admin.");
        NotOwn("territory", r.Territory, "is assigned by an admin.");
        return errors;
    }

    static string Upsert(string role) => role switch
    {
        Roles.Customer => """
            INSERT INTO customer_profiles (user_id, full_name, email, gender, date_of_birth, default_address, updated_at)
            VALUES (@userId, @FullName, @Email, @Gender, @DateOfBirth::date, @DefaultAddress, @now)
            ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name, email = excluded.email, gender = excluded.gender,
                date_of_birth = excluded.date_of_birth, default_address = excluded.default_address, updated_at = @now
            """,
        Roles.Therapist => """
            INSERT INTO therapist_profiles (user_id, full_name, email, gender, gender_preference, bio, specialities, years_experience, updated_at)
            VALUES (@userId, @FullName, @Email, @Gender, @GenderPreference, @Bio, @Specialities, @YearsExperience, @now)
            ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name, email = excluded.email, gender = excluded.gender,
                gender_preference = excluded.gender_preference, bio = excluded.bio, specialities = excluded.specialities,
                years_experience = excluded.years_experience, updated_at = @now
            """,
        Roles.Vendor => """
            INSERT INTO vendor_profiles (user_id, business_name, contact_name, email, updated_at) VALUES (@userId, @BusinessName, @ContactName, @Email, @now)
            ON CONFLICT (user_id) DO UPDATE SET business_name = excluded.business_name, contact_name = excluded.contact_name,
                email = excluded.email, updated_at = @now
            """,
        Roles.Employee => """
            INSERT INTO employee_profiles (user_id, full_name, email, updated_at) VALUES (@userId, @FullName, @Email, @now)
            ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name, email = excluded.email, updated_at = @now
            """,
        Roles.Admin => """
            INSERT INTO admin_profiles (user_id, full_name, email, updated_at) VALUES (@userId, @FullName, @Email, @now)
            ON CONFLICT (user_id) DO UPDATE SET full_name = excluded.full_name, email = excluded.email, updated_at = @now
            """,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };
}
