using System.Text.Encodings.Web;
using System.Text.Json.Nodes;

namespace Ombaro.Tests.Contract;

/// <summary>
/// <c>clients/web/openapi.json</c> (what redocly lints and the web client is generated from) is the document the API
/// serves. <c>clients/web/generate.sh</c> runs this test with <c>OMBARO_WRITE_OPENAPI=1</c> to refresh the file.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ServedDocumentTests(ApiFixture api)
{
    public static readonly string RepositoryRoot = FindRoot();
    public static string CommittedDocumentPath => Path.Combine(RepositoryRoot, "clients", "web", "openapi.json");

    [Fact]
    public async Task the_committed_document_is_the_one_the_api_serves()
    {
        var served = JsonNode.Parse(await api.Host.Server.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        if (Environment.GetEnvironmentVariable("OMBARO_WRITE_OPENAPI") == "1")
            await File.WriteAllTextAsync(CommittedDocumentPath, Format(served));
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(CommittedDocumentPath));
        Assert.True(JsonNode.DeepEquals(served, committed),
            "clients/web/openapi.json is stale: run clients/web/generate.sh and commit the result.");
    }

    public static string Format(JsonNode document) =>
        document.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ombaro.sln"))) return dir.FullName;
        throw new InvalidOperationException("Ombaro.sln not found above " + AppContext.BaseDirectory);
    }
}
