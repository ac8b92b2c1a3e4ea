namespace Ombaro.Api.Features.Admin;

/// <summary>
/// <c>POST /api/v1/admin/users</c>: an admin provisions a vendor, employee or admin account for a mobile;
/// its owner then signs in with an OTP. Therapists are added by their vendor.
/// </summary>
public sealed class CreateUser : ICarterModule
{
    public static readonly IReadOnlyList<string> ProvisionableRoles = [Roles.Vendor, Roles.Employee, Roles.Admin];

    public sealed record Request(string Mobile, string Role, string? Name = null);
    public sealed record Response(Guid Id, string Mobile, string Role, string Status, string? Name);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator(IOptions<OtpOptions> otp)
        {
            RuleFor(r => r.Mobile).Must(m => MobileNumber.IsAllowed(m, otp.Value.AllowedRegions)).WithMessage(otp.Value.MobileRule);
            RuleFor(r => r.Role).Must(ProvisionableRoles.Contains).WithMessage("Role must be vendor, employee or admin (therapists are added by their vendor).");
            RuleFor(r => r.Name).MaximumLength(120);
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapAdminApi()
            .MapPost("/users", Handle).Validate<Request>()
            .WithName("CreateUser").WithSummary("Provision a vendor, employee or admin account (audited).");

    static async Task<Results<Created<Response>, ConflictProblem>> Handle(
        Request request, ClaimsPrincipal admin, HttpContext http, NpgsqlDataSource db, UserCaches users,
        CancellationToken ct)
    {
        var mobile = MobileNumber.Normalize(request.Mobile)!;
        var name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim();
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.QuerySingleOrDefaultAsync<Guid?>(new CommandDefinition(
            "INSERT INTO users (mobile, role, name) VALUES (@mobile, @Role, @name) ON CONFLICT (mobile) DO NOTHING RETURNING id",
            new { mobile, request.Role, name }, tx, cancellationToken: ct));
        if (id is null)
            return Problems.Conflict("Mobile already registered", "A user with this mobile exists; change their role with PATCH /api/v1/admin/users/{id}.");

        await UserAccounts.CreateProfileAsync(conn, tx, id.Value, request.Role, ct);
        var created = new Response(id.Value, mobile, request.Role, UserStatus.Active, name);
        await AuditLog.WriteAsync(tx, admin, http.ClientIp(), "user.create", "user", id.Value, null, created, ct);
        await tx.CommitAsync(ct);
        await users.ListsChangedAsync();
        return TypedResults.Created($"/api/v1/admin/users/{id}", created);
    }
}
