namespace Freshet.Dashboard.Hosting;

/// <summary>The body of every error answer under <c>/api</c>: a short machine-readable code and a sentence for people.</summary>
/// <param name="Error">One of <c>not_found</c>, <c>method_not_allowed</c>, <c>bad_request</c>, <c>conflict</c>, <c>unavailable</c>, <c>internal_error</c>.</param>
/// <param name="Message">What was wrong, naming the path, field or operation.</param>
internal sealed record ApiError(string Error, string Message);
