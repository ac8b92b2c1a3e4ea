using System.Collections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Ombaro.Api.Infrastructure.Http;

/// <summary>
/// The rules every input obeys, whatever the route, checked once by one endpoint filter over every bound argument
/// (JSON bodies with their nested objects and arrays, <c>[AsParameters]</c> queries, query values, headers):
/// <list type="bullet">
/// <item>text holds no control characters except tab and line breaks, and no unpaired surrogate (PostgreSQL refuses
/// NUL, UTF-8 cannot carry a lone surrogate), and is at most <see cref="MaxTextLength"/> characters (fields have
/// lower maxima of their own, in their validators or as <c>[MaxLength]</c> on a property without one);</item>
/// <item>a non-nullable property is present and not null, and arrays hold no nulls;</item>
/// <item>dates lie between <see cref="MinDate"/> and <see cref="MaxDate"/>.</item>
/// </list>
/// A failure is a 400 validation problem keyed by the field as the client wrote it (<c>openingHours[0].opens</c>).
/// Missing numbers and other JSON that does not fit are refused by the serializer (see <see cref="JsonInput"/>).
/// </summary>
public static class InputRules
{
    public const int MaxTextLength = 2000;
    public const int MaxBodyBytes = 64 * 1024;
    public static readonly DateOnly MinDate = new(1900, 1, 1);
    public static readonly DateOnly MaxDate = new(2199, 12, 31);
    /// <summary>
    /// Redis GEOADD accepts latitudes within ±85.05112878° (Web Mercator): the bound of every point that goes into a
    /// geo index (vendors, live therapists) and of every point searched in one.
    /// </summary>
    public const double MaxGeoLatitude = 85.05112878;
    const int MaxDepth = 8;

    static readonly Assembly Api = typeof(InputRules).Assembly;
    static readonly ConcurrentDictionary<Type, Member[]> Members = new();

    sealed record Member(string Name, Func<object, object?> Get, bool Required, int MaxLength);

    /// <summary>Endpoint filter factory: put it on the group that holds every route.</summary>
    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices.GetService<IServiceProviderIsService>();
        var inputs = context.MethodInfo.GetParameters()
            .Select((p, i) => (Parameter: p, Index: i))
            .Where(x => IsInput(x.Parameter, services))
            .Select(x => (x.Index, Prefix: Prefix(x.Parameter)))
            .ToArray();
        if (inputs.Length == 0) return next;
        return async invocation =>
        {
            var errors = new Dictionary<string, string[]>();
            foreach (var (index, prefix) in inputs) Check(invocation.Arguments[index], prefix, errors, 0);
            return errors.Count == 0 ? await next(invocation) : TypedResults.ValidationProblem(errors);
        };
    }

    /// <summary>Null when the text may be stored; otherwise what is wrong with it.</summary>
    public static string? TextProblem(string text, int maxLength = MaxTextLength)
    {
        if (text.Length > maxLength) return $"At most {maxLength} characters.";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
                return "Control characters (other than tab and line breaks) are not allowed.";
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(c)) return "The text is not valid Unicode (an unpaired surrogate).";
        }
        return null;
    }

    static void Check(object? value, string path, Dictionary<string, string[]> errors, int depth, int maxLength = MaxTextLength)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                if (TextProblem(text, maxLength) is { } problem) errors[path] = [problem];
                return;
            case DateOnly d:
                CheckDate(d, path, errors);
                return;
            case DateTime t:
                CheckDate(DateOnly.FromDateTime(t), path, errors);
                return;
            case DateTimeOffset o:
                CheckDate(DateOnly.FromDateTime(o.UtcDateTime), path, errors);
                return;
        }
        if (depth >= MaxDepth) return;
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items)
            {
                var at = $"{path}[{i++}]";
                if (item is null) errors[at] = ["Must not be null."];
                else Check(item, at, errors, depth + 1);
            }
            return;
        }
        var type = value.GetType();
        if (type.Assembly != Api) return;
        foreach (var member in Members.GetOrAdd(type, Describe))
        {
            var name = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
            var child = member.Get(value);
            if (child is null && member.Required) errors[name] = ["Required."];
            else Check(child, name, errors, depth + 1, member.MaxLength);
        }
    }

    static void CheckDate(DateOnly date, string path, Dictionary<string, string[]> errors)
    {
        if (date < MinDate || date > MaxDate) errors[path] = [$"Dates lie between {MinDate:yyyy-MM-dd} and {MaxDate:yyyy-MM-dd}."];
    }

    /// <summary>The readable properties of a bound type, named as JSON names them, with whether null is allowed.</summary>
    static Member[] Describe(Type type)
    {
        var nullability = new NullabilityInfoContext();
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => new Member(
                p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                p.GetValue,
                !p.PropertyType.IsValueType && nullability.Create(p).ReadState == NullabilityState.NotNull,
                Math.Min(p.GetCustomAttribute<MaxLengthAttribute>()?.Length ?? MaxTextLength, MaxTextLength)))
            .ToArray();
    }

    /// <summary>Arguments the client sends (body, query, route, header), not services or the framework's own objects.</summary>
    static bool IsInput(ParameterInfo p, IServiceProviderIsService? services)
    {
        if (p.GetCustomAttribute<FromServicesAttribute>() is not null || p.GetCustomAttribute<FromKeyedServicesAttribute>() is not null) return false;
        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        if (type == typeof(string) || type == typeof(DateOnly) || type == typeof(DateTime) || type == typeof(DateTimeOffset)) return true;
        if (type == typeof(HttpContext) || type == typeof(ClaimsPrincipal) || type == typeof(CancellationToken)) return false;
        return type.Assembly == Api && services?.IsService(type) != true;
    }

    /// <summary>Properties of a body or <c>[AsParameters]</c> record are named on their own; a single value by its name.</summary>
    static string Prefix(ParameterInfo p)
    {
        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        if (type.Assembly == Api) return "";
        return p.GetCustomAttribute<FromHeaderAttribute>()?.Name ?? p.GetCustomAttribute<FromQueryAttribute>()?.Name
            ?? p.GetCustomAttribute<FromRouteAttribute>()?.Name ?? p.Name ?? "value";
    }

    /// <summary>Bodies larger than <see cref="MaxBodyBytes"/> are refused (413) before they are read.</summary>
    public static WebApplication UseInputLimits(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
            if (http.Request.ContentLength > MaxBodyBytes)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status413PayloadTooLarge, Title = "Request body too large",
                        Detail = $"The request body may be at most {MaxBodyBytes} bytes.",
                    },
                });
                return;
            }
            await next(http);
        });
        return app;
    }
}
