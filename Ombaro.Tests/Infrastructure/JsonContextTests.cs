using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Ombaro.Api.Features.Admin;
using Ombaro.Api.Features.Bookings;
using Ombaro.Api.Features.Employee;
using Ombaro.Api.Features.Therapists;
using Ombaro.Api.Features.Vendors;
using Ombaro.Api.Infrastructure.Json;

namespace Ombaro.Tests.Infrastructure;

/// <summary>The bookings and desks areas serialize their HTTP bodies and cached values with the source-generated context.</summary>
[Collection(ApiCollection.Name)]
public sealed class JsonContextTests(ApiFixture api)
{
    static readonly string[] Areas = ["Bookings", "Admin", "Attendance", "Employee", "VendorDesk"];
    static readonly Type[] DeskSlicesElsewhere = [typeof(GetEarnings), typeof(ListVendorTherapists), typeof(AddVendorTherapist)];

    /// <summary>Values CacheAside writes to Redis that no route returns as such.</summary>
    public static TheoryData<Type> CachedValues => new()
    {
        typeof(BookingRecord), typeof(GetDashboard.Counts), typeof(ListTerritoryVendors.VendorList), typeof(ListVendorTherapists.Roster),
    };

    JsonSerializerOptions Json => api.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;

    [Fact]
    public void every_request_and_response_body_of_the_bookings_and_desks_routes_is_source_generated()
    {
        var bodies = api.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<MethodInfo>()?.DeclaringType is { } t && (DeskSlicesElsewhere.Contains(t) || Areas.Any(a => t.Namespace == "Ombaro.Api.Features." + a)))
            .SelectMany(e => e.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.Type)
                .Concat(e.Metadata.OfType<IAcceptsMetadata>().Select(m => m.RequestType)))
            .OfType<Type>()
            .Where(t => t != typeof(void) && t != typeof(ProblemDetails) && t != typeof(HttpValidationProblemDetails))
            .Distinct().ToList();

        Assert.True(bodies.Count >= 30, $"found only {bodies.Count} body types");   // the filter still finds the routes
        Assert.Empty(bodies.Where(t => Json.GetTypeInfo(t).OriginatingResolver != AppJsonContext.Default).Select(t => t.FullName));
    }

    [Theory]
    [MemberData(nameof(CachedValues))]
    public void cached_values_are_source_generated(Type type) =>
        Assert.Same(AppJsonContext.Default, Json.GetTypeInfo(type).OriginatingResolver);
}
