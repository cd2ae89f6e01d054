using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Freshet.Cli.Targets;

namespace Freshet.Cli.Jobs;

/// <summary>
/// The operator commands' side of a running job's REST API (docs/rest-api.md), served by a job that enables its
/// dashboard. Answers are read as JSON trees, so the command line depends on the documented wire form only. Failures
/// become a <see cref="CliException"/> that says what went wrong in one sentence: nothing listens at the address, the
/// address serves no Freshet job, or the job refused the request (its JSON error's message).
/// Not thread-safe; one command uses one client.
/// </summary>
internal sealed class JobRestClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="baseAddress">The job's dashboard address, e.g. http://127.0.0.1:8081.</param>
    /// <param name="timeout">How long one request may take; a savepoint of a large state needs more than a read.</param>
    public JobRestClient(Uri baseAddress, TimeSpan timeout)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = timeout };
    }

    /// <summary>Parses a --url value: an absolute http or https address.</summary>
    public static bool TryParseAddress(string text, out Uri? address)
    {
        address = Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
        return address is not null;
    }

    /// <summary><c>GET /api/job/checkpoints</c>: the counts and the history, newest first.</summary>
    public Task<JsonObject> GetCheckpointsAsync(CancellationToken cancellation) => SendAsync(HttpMethod.Get, "api/job/checkpoints", null, cancellation);

    /// <summary><c>GET /api/job</c>: the job's name, status and start.</summary>
    public Task<JsonObject> GetJobAsync(CancellationToken cancellation) => SendAsync(HttpMethod.Get, "api/job", null, cancellation);

    /// <summary><c>POST /api/job/savepoints</c>: takes a savepoint into <paramref name="directory"/> (a path on the job's machine) and returns its path once it is complete.</summary>
    public async Task<string> TriggerSavepointAsync(string directory, CancellationToken cancellation)
    {
        var answer = await SendAsync(HttpMethod.Post, "api/job/savepoints", new JsonObject { ["directory"] = directory }, cancellation).ConfigureAwait(false);
        return answer["path"]?.GetValue<string>() ?? throw new CliException($"The job at {_http.BaseAddress} answered the savepoint request without a path.");
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellation).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new CliException($"No job's REST API answers at {_http.BaseAddress}: {e.Message} Start the job with its dashboard enabled and give its address with --url.");
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new CliException($"The job at {_http.BaseAddress} did not answer {method} /{path} within {_http.Timeout.TotalSeconds:0} s.");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                json = null;
            }

            if (!response.IsSuccessStatusCode)
            {
                var message = (json as JsonObject)?["message"]?.GetValue<string>();
                if (message is null && response.StatusCode == HttpStatusCode.NotFound)
                {
                    message = "not found; is this the address of a Freshet job's dashboard?";
                }

                throw new CliException($"The job at {_http.BaseAddress} refused {method} /{path} ({(int)response.StatusCode}): {message ?? response.ReasonPhrase}");
            }

            return json as JsonObject ?? throw new CliException($"{_http.BaseAddress} answered {method} /{path} with something other than a JSON object; is this the address of a Freshet job's dashboard?");
        }
    }
}
