using PhoneNumbers;

namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// <c>POST /api/v1/vendors/{id}/therapists {mobile, name}</c>: the owner (or an admin) invites a therapist by
/// mobile. Nothing is linked or created: the person signs in with that mobile and accepts
/// (<c>POST /api/v1/therapists/me/invitations/{id}/accept</c>). The answer is the same 202 whatever the mobile
/// is (unknown, a therapist, another role, on a roster), so it reveals nothing about other accounts; a repeat
/// renews the pending invitation.
/// </summary>
public sealed class AddVendorTherapist : ICarterModule
{
    public sealed record Request(string Mobile, string Name);

    public sealed record Response(Guid InvitationId, Guid VendorId, string Mobile, string Name, DateTimeOffset ExpiresAt);

    public sealed class Validator : AbstractValidator<Request>
    {
        static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

        public Validator()
        {
            RuleFor(r => r.Mobile).NotEmpty().Must(IsE164)
                .WithMessage("mobile must be a valid phone number in E.164 form, e.g. +919876543210.");
            RuleFor(r => r.Name).NotEmpty().MaximumLength(100);
        }

        static bool IsE164(string? mobile)
        {
            if (mobile is null || !mobile.StartsWith('+')) return false;
            try
            {
                var number = Phones.Parse(mobile, null);
                return Phones.IsValidNumber(number) && Phones.Format(number, PhoneNumberFormat.E164) == mobile;
            }
            catch (NumberParseException) { return false; }
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapVendorsApi().RequireAuthorization(p => p.RequireRole(Roles.Vendor, Roles.Admin))
            .MapPost("/{id:guid}/therapists", Handle).Validate<Request>()
            .WithName("AddVendorTherapist").WithSummary("Invites the therapist with this mobile; they accept after signing in (owner or admin).");

    static async Task<Results<Accepted<Response>, ValidationProblem, NotFoundProblem, ForbiddenProblem>> Handle(
        Guid id, Request request, HttpContext http, ClaimsPrincipal user, NpgsqlDataSource db, IOptions<InvitationOptions> options, TimeProvider clock, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        switch (await VendorAccess.DenyUnlessOwnerOrAdminAsync(conn, id, user, ct))
        {
            case NotFoundProblem missing: return missing;
            case ForbiddenProblem forbidden: return forbidden;
        }

        var expiresAt = clock.GetUtcNow() + options.Value.Lifetime;
        await using var tx = await conn.BeginTransactionAsync(ct);
        var invitationId = await conn.ExecuteScalarAsync<Guid>(new CommandDefinition("""
            INSERT INTO therapist_invitations (vendor_id, mobile, name, invited_by, expires_at)
            VALUES (@id, @Mobile, @Name, @invitedBy, @expiresAt)
            ON CONFLICT (vendor_id, mobile) WHERE status = 'pending'
            DO UPDATE SET name = EXCLUDED.name, invited_by = EXCLUDED.invited_by, expires_at = EXCLUDED.expires_at
            RETURNING id
            """, new { id, request.Mobile, request.Name, invitedBy = user.UserId(), expiresAt }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(tx, user, http.ClientIp(), "vendor.therapist.invite", "vendor", id,
            null, new { invitationId, request.Mobile, expiresAt }, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Accepted($"/api/v1/vendors/{id}/therapists",
            new Response(invitationId, id, request.Mobile, request.Name, expiresAt));
    }
}
