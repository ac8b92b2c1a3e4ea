using Microsoft.AspNetCore.Mvc;

namespace Ombaro.Api.Infrastructure.OpenApi;

/// <summary>
/// Document-wide parts: title and version, the configured server, tags with descriptions, the bearer scheme
/// and the problem-document schemas every error response points at.
/// </summary>
public sealed class ApiDocumentTransformer(IOptions<ApiDocumentOptions> options) : IOpenApiDocumentTransformer
{
    public const string BearerScheme = "bearer";

    static readonly Dictionary<string, string> Tags = new()
    {
        ["Auth"] = "Sign in with a one-time code sent by SMS; sessions (devices) and sign-out.",
        ["Profile"] = "The signed-in user's own profile; its fields depend on the role.",
        ["Vendors"] = "Vendor listings: public search and detail, the owner's edits, services and therapist roster, verification by staff.",
        ["Bookings"] = "Availability, short slot holds, bookings and their lifecycle (confirm, assign, start, complete, cancel, no-show).",
        ["Therapists"] = "Therapists' live locations and earnings.",
        ["Vendor desk"] = "The vendor's dashboard: today's bookings, revenue and utilisation.",
        ["Attendance"] = "Employees' daily check-in and check-out.",
        ["Employee"] = "Field employees: vendors of their territory, visits and reports.",
        ["Admin"] = "Platform administration: users, roles, territories, revenue, audit log and dashboard.",
        ["Ops"] = "Operations: Redis health, memory, latency and alerts.",
        ["Platform"] = "Liveness and readiness probes.",
    };

    public async Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        var settings = options.Value;
        document.Info.Title = "Ombaro API";
        document.Info.Version = "v1";
        document.Info.Description =
            "Wellness bookings for customers, therapists, vendors, field employees and admins. Errors are RFC 9457 problem documents; " +
            "send `Authorization: Bearer <token>` (from `POST /api/v1/auth/otp/verify`) to every operation that lists the `bearer` requirement.";
        document.Servers = [new OpenApiServer { Url = settings.ServerUrl, Description = settings.ServerDescription }];

        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An opaque session token from `POST /api/v1/auth/otp/verify` (not a JWT).",
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var (id, type) in new[] { (ProblemSchemas.Problem, typeof(ProblemDetails)), (ProblemSchemas.ValidationProblem, typeof(HttpValidationProblemDetails)) })
            if (!document.Components.Schemas.ContainsKey(id))
                document.AddComponent(id, await context.GetOrCreateSchemaAsync(type, null, ct));

        AnyJsonValues(document);
        ProblemResponses.AddTo(document);

        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>()).Select(t => t.Name).ToHashSet();
        document.Tags = new HashSet<OpenApiTag>(used.Order().Select(name => new OpenApiTag
        {
            Name = name,
            Description = Tags.TryGetValue(name!, out var description) ? description : null,
        }));
    }

    /// <summary>
    /// A nullable <c>JsonElement</c> property is generated as <c>oneOf [null, {}]</c>, which a null matches twice
    /// (so no null is valid): it is any JSON value.
    /// </summary>
    static void AnyJsonValues(OpenApiDocument document)
    {
        foreach (var schema in document.Components!.Schemas!.Values.OfType<OpenApiSchema>())
            foreach (var (name, property) in schema.Properties?.ToList() ?? [])
                if (property.OneOf is { Count: 2 } one && one.Any(s => s.Type == JsonSchemaType.Null)
                    && one.Any(s => s is OpenApiSchemaReference { Reference.Id: "JsonElement" }))
                    schema.Properties![name] = new OpenApiSchema { Description = "Any JSON value, or null." };
        document.Components.Schemas.Remove("JsonElement");
    }
}

static class ProblemSchemas
{
    public const string Problem = "ProblemDetails";
    public const string ValidationProblem = "HttpValidationProblemDetails";
}
