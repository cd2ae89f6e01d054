using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Freshet.Dashboard.Hosting;

/// <summary>
/// The dashboard page: <c>index.html</c>, <c>app.js</c> and <c>app.css</c>, embedded in this assembly from
/// <c>wwwroot/</c> and served from memory. One page serves both views; the server writes which one
/// (<c>job</c> or <c>broker</c>) into the page's <c>data-view</c> attribute.
/// </summary>
internal static class EmbeddedPage
{
    private const string ViewPlaceholder = "{{view}}";

    public static void Map(IEndpointRouteBuilder endpoints, string view)
    {
        var page = Encoding.UTF8.GetBytes(Read("index.html").Replace(ViewPlaceholder, view, StringComparison.Ordinal));
        var script = Encoding.UTF8.GetBytes(Read("app.js"));
        var style = Encoding.UTF8.GetBytes(Read("app.css"));
        endpoints.MapGet("/", () => Serve(page, "text/html; charset=utf-8"));
        endpoints.MapGet("/index.html", () => Serve(page, "text/html; charset=utf-8"));
        endpoints.MapGet("/app.js", () => Serve(script, "text/javascript; charset=utf-8"));
        endpoints.MapGet("/app.css", () => Serve(style, "text/css; charset=utf-8"));
    }

    private static FileContentHttpResult Serve(byte[] content, string contentType) => TypedResults.Bytes(content, contentType);

    private static string Read(string name)
    {
        using var stream = typeof(EmbeddedPage).Assembly.GetManifestResourceStream("Freshet.Dashboard.wwwroot." + name)
            ?? throw new InvalidOperationException($"The dashboard page's {name} is not embedded in {typeof(EmbeddedPage).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
