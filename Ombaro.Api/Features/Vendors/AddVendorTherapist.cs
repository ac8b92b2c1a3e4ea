using System.Security.Claims;
using Carter;
using Dapper;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Ombaro.Api.Features.Admin;
using Ombaro.Api.Features.Desks;
using Ombaro.Api.Infrastructure.Auth;
using Ombaro.Api.Infrastructure.Caching;
using Ombaro.Api.Infrastructure.Http;
using Ombaro.Api.Infrastructure.Postgres;
using PhoneNumbers;

namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// <c>POST /api/v1/vendors/{id}/therapists {mobile, name}</c>: the owner (or an admin) adds a therapist —
/// a new therapist user for an unknown mobile, or the existing therapist with that mobile. 201 when linked
/// now, 200 when already on this roster, 409 when the mobile is another role's or the therapist works
/// for another vendor.
/// </summary>
public sealed class AddVendorTherapist : ICarterModule
{
    public sealed record Request(string Mobile, string Name);

    public sealed record Response(Guid VendorId, Guid TherapistId, string Mobile, string? Name, bool NewUser);

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
        app.MapGroup("/api/v1/vendors").WithTags("Vendors").RequireAuthorization(p => p.RequireRole(Roles.Vendor, Roles.Admin))
            .MapPost("/{id:guid}/therapists", Handle).Validate<Request>()
            .WithName("AddVendorTherapist").WithSummary("Creates a therapist user for the mobile, or links the existing therapist (owner or admin).")
            .ProducesProblem(StatusCodes.Status409Conflict);

    sealed record Existing(Guid Id, string Role, string? Name);

    static async Task<Results<Created<Response>, Ok<Response>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, Request request, HttpContext http, ClaimsPrincipal user, NpgsqlDataSource db, CacheAside cache, UserCaches users,
        CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (await VendorAccess.DenyUnlessOwnerOrAdminAsync(conn, id, user, ct) is ProblemHttpResult denied) return denied;

        await using var tx = await conn.BeginTransactionAsync(ct);
        var createdId = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            INSERT INTO users (mobile, role, name) VALUES (@Mobile, 'therapist', @Name)
            ON CONFLICT (mobile) DO NOTHING RETURNING id
            """, request, tx, cancellationToken: ct));
        var therapist = createdId is { } newId
            ? new Existing(newId, Roles.Therapist, request.Name)
            : await conn.QuerySingleAsync<Existing>(new CommandDefinition(
                "SELECT id, role, name FROM users WHERE mobile = @Mobile FOR UPDATE", request, tx, cancellationToken: ct));
        if (therapist.Role != Roles.Therapist)
            return Conflict("Not a therapist", $"{request.Mobile} belongs to a {therapist.Role} account.");
        if (createdId is not null)
            await conn.ExecuteAsync(new CommandDefinition("INSERT INTO therapist_profiles (user_id, full_name) VALUES (@Id, @Name)",
                therapist, tx, cancellationToken: ct));

        var currentVendor = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT vendor_id FROM vendor_therapists WHERE therapist_id = @Id AND active", therapist, tx, cancellationToken: ct));
        var response = new Response(id, therapist.Id, request.Mobile, therapist.Name, createdId is not null);
        if (currentVendor == id) return TypedResults.Ok(response);
        if (currentVendor is not null) return Conflict("Therapist works elsewhere", "The therapist is on another vendor's active roster.");

        try
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO vendor_therapists (vendor_id, therapist_id) VALUES (@VendorId, @TherapistId)
                ON CONFLICT (vendor_id, therapist_id) DO UPDATE SET active = true, joined_at = now()
                """, new { VendorId = id, TherapistId = therapist.Id }, tx, cancellationToken: ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Conflict("Therapist works elsewhere", "The therapist joined another vendor's roster meanwhile.");
        }
        await AuditLog.WriteAsync(tx, user, http.Connection.RemoteIpAddress?.ToString(), "vendor.therapist.add", "vendor", id,
            null, new { therapistId = therapist.Id, newUser = response.NewUser }, ct);
        await tx.CommitAsync(ct);

        await cache.InvalidateAsync(DeskCaches.VendorRoster(id));
        await cache.BumpGenerationAsync(DeskCaches.VendorDashboard(id));   // active therapists feed utilisation
        if (response.NewUser) await users.InvalidateAsync();
        return TypedResults.Created($"/api/v1/vendors/{id}/therapists", response);
    }

    static ProblemHttpResult Conflict(string title, string detail) => TypedResults.Problem(statusCode: 409, title: title, detail: detail);
}
