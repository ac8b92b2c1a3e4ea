namespace Ombaro.Api.Features.Vendors;

/// <summary><c>POST /api/v1/vendors/{id}/services</c>: the owning vendor (or an admin) adds a service with price and duration.</summary>
public sealed class AddService : ICarterModule
{
    public sealed record Request(string Name, string ServiceType, decimal Price, int DurationMinutes, string? Description = null, string? Currency = null);

    public sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).NotEmpty().Length(2, 120);
            RuleFor(r => r.ServiceType).Must(VendorCatalog.ServiceTypes.Contains)
                .WithMessage($"Service type must be one of: {string.Join(", ", VendorCatalog.ServiceTypes)}.");
            RuleFor(r => r.Description).MaximumLength(1000);
            RuleFor(r => r.Price).InclusiveBetween(0, 1_000_000).PrecisionScale(10, 2, ignoreTrailingZeros: true);
            RuleFor(r => r.Currency).Matches("^[A-Z]{3}$").WithMessage("Currency is an ISO 4217 code such as INR.");
            RuleFor(r => r.DurationMinutes).InclusiveBetween(15, 480).Must(m => m % 15 == 0)
                .WithMessage("Duration is 15 to 480 minutes in steps of 15.");
        }
    }

    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapVendorsApi().MapPost("/{id:guid}/services", Handle).RequireAuthorization(p => p.RequireRole(Roles.Vendor, Roles.Admin))
            .Validate<Request>()
            .WithName("AddVendorService").WithSummary("Adds a service (price, duration) to a vendor (owner or admin).");

    static async Task<Results<Created<Service>, ValidationProblem, NotFound, ForbidHttpResult>> Handle(
        Guid id, Request request, ClaimsPrincipal user, HttpContext http, NpgsqlDataSource db, VendorCaches vendors, CancellationToken ct)
    {
        Service service;
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var vendor = await VendorCatalog.LockAsync(tx, id, ct);
            if (vendor is null) return TypedResults.NotFound();
            if (!VendorCatalog.CanEdit(user, vendor.Owner_User_Id))
                return vendor.GeoEntry.ListedTypes.Count > 0 ? TypedResults.Forbid() : TypedResults.NotFound();
            if (!vendor.Service_Types.Contains(request.ServiceType))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                {
                    ["serviceType"] = [$"The vendor does not offer '{request.ServiceType}'; its types are: {string.Join(", ", vendor.Service_Types)}."],
                });
            var currency = request.Currency ?? "INR";
            var serviceId = await conn.ExecuteScalarAsync<Guid>(new CommandDefinition("""
                INSERT INTO services (vendor_id, name, service_type, description, price, currency, duration_minutes)
                VALUES (@id, @Name, @ServiceType, @Description, @Price, @currency, @DurationMinutes) RETURNING id
                """, new { id, request.Name, request.ServiceType, request.Description, request.Price, currency, request.DurationMinutes },
                tx, cancellationToken: ct));
            service = new Service(serviceId, request.Name, request.ServiceType, request.Description, request.Price, currency, request.DurationMinutes);
            await AuditLog.WriteAsync(tx, user, http.ClientIp(), "service.created", "vendor", id, null, service, ct);
            await tx.CommitAsync(ct);
        }
        await vendors.ChangedAsync(id);
        return TypedResults.Created($"/api/v1/vendors/{id}", service);
    }
}
