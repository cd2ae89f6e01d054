using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Freshet.Dashboard.Tests.Support;

/// <summary>Requests to a dashboard that expect JSON, returning the status and the parsed body.</summary>
public static class HttpJson
{
    public static async Task<JsonNode> GetAsync(HttpClient http, string path)
    {
        var (status, body) = await SendAsync(http, HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {body?.ToJsonString()}");
        return body!;
    }

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? content = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (content is not null)
        {
            request.Content = new StringContent(content, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length > 0)
        {
            Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        }

        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}
