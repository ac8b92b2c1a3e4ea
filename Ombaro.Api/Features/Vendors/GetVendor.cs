using System.Buffers;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;

namespace Ombaro.Api.Features.Vendors;

/// <summary>
/// <c>GET /api/v1/vendors/{id}</c>: a vendor with hours, services and price range (cache-aside, 10 min, and this instance's L1),
/// and whether it is open now. Anyone may read an active, verified vendor; others only its owner, admins and employees.
/// </summary>
public sealed class GetVendor : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapVendorsApi().MapGet("/{id:guid}", Handle).AllowAnonymous()
            .WithName("GetVendor").WithSummary("A vendor's details, hours, services and whether it is open now.");

    static async Task<Results<Document, NotFound>> Handle(
        Guid id, ClaimsPrincipal user, L1Cache l1, CacheAside cache, NpgsqlDataSource db, IOptions<JsonOptions> json, TimeProvider clock,
        CancellationToken ct)
    {
        var options = json.Value.SerializerOptions;
        var document = await VendorCatalog.GetAsync(l1, cache, db, options, id, ct);
        if (document is null || !VendorCatalog.CanSee(user, document.Vendor)) return TypedResults.NotFound();
        var vendor = document.Vendor;
        return new Document(document.Json, OpeningHours.At(vendor.OpeningHours, vendor.TimeZone, clock.GetUtcNow()), options);
    }

    /// <summary>
    /// 200 with the <see cref="VendorDetail"/> JSON as <c>Ok(vendor with { Open = open })</c> writes it: the cached bytes
    /// (which end with the object's <c>}</c>), then <c>,"open":{...}}</c>. Declared in OpenAPI as <c>Ok&lt;VendorDetail&gt;</c> is.
    /// </summary>
    public sealed class Document(byte[] json, OpenState open, JsonSerializerOptions options) : IResult, IEndpointMetadataProvider
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var name = Encoding.UTF8.GetBytes($",\"{options.PropertyNamingPolicy?.ConvertName(nameof(VendorDetail.Open)) ?? nameof(VendorDetail.Open)}\":");
            var state = JsonSerializer.SerializeToUtf8Bytes(open, options);
            var response = http.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = json.Length - 1 + name.Length + state.Length + 1;
            var body = response.BodyWriter;
            body.Write(json.AsSpan(0, json.Length - 1));
            body.Write(name);
            body.Write(state);
            body.Write("}"u8);
            return body.FlushAsync().AsTask();
        }

        public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
            builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(VendorDetail), ["application/json"]));
    }
}
