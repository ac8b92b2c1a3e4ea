namespace Ombaro.Api.Infrastructure.OpenApi;

/// <summary><c>OpenApi:*</c> settings: what the served document says about where the API lives.</summary>
public sealed class ApiDocumentOptions
{
    public const string Section = "OpenApi";

    /// <summary>
    /// The <c>servers</c> entry of the document. Defaults to <c>/</c>: relative to wherever the document was
    /// fetched from, never the host name of the request (which a proxy or a client may choose).
    /// </summary>
    public string ServerUrl { get; set; } = "/";

    public string ServerDescription { get; set; } = "This deployment of the Ombaro API";
}
