namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>The child-process programs of the tests (projects under tests/ that this project references), built in the tests' configuration.</summary>
public static class TestHosts
{
    /// <summary>
    /// The built dll of test project <paramref name="project"/>: tests/Freshet.Streaming.Tests/bin/C/F →
    /// tests/<paramref name="project"/>/bin/C/F/<paramref name="project"/>.dll.
    /// </summary>
    public static string PathOf(string project)
    {
        var here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(here);
        var configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
        var tests = Path.GetFullPath(Path.Combine(here, "..", "..", "..", ".."));
        var path = Path.Combine(tests, project, "bin", configuration, framework, project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build tests/{project} first (the test project references it).", path);
    }
}
