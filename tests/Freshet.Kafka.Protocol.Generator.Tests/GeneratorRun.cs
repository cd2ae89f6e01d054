using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Freshet.Kafka.Protocol.Generator.Tests;

/// <summary>Runs <see cref="KafkaCodecGenerator"/> over in-memory schema files in a compilation that references Freshet.Kafka.Protocol.</summary>
internal sealed class GeneratorRun
{
    private GeneratorRun(ImmutableArray<Diagnostic> generatorDiagnostics, ImmutableArray<Diagnostic> compileDiagnostics, ImmutableArray<GeneratedSourceResult> sources)
    {
        GeneratorDiagnostics = generatorDiagnostics;
        CompileDiagnostics = compileDiagnostics;
        Sources = sources;
    }

    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    /// <summary>Errors and warnings of compiling the generated code.</summary>
    public ImmutableArray<Diagnostic> CompileDiagnostics { get; }

    public ImmutableArray<GeneratedSourceResult> Sources { get; }

    public static GeneratorRun Of(params (string Path, string Text)[] schemas)
    {
        var references = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => MetadataReference.CreateFromFile(a.Location))
            .Append(MetadataReference.CreateFromFile(typeof(KafkaReader).Assembly.Location));
        var compilation = CSharpCompilation.Create(
            "Generated",
            [CSharpSyntaxTree.ParseText("namespace Probe; internal static class Empty { }")],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new KafkaCodecGenerator().AsSourceGenerator()],
            schemas.Select(s => (AdditionalText)new InMemoryText(s.Path, s.Text)),
            (CSharpParseOptions)compilation.SyntaxTrees[0].Options);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        var compileDiagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToImmutableArray();
        return new GeneratorRun(diagnostics, compileDiagnostics, result.GeneratedSources);
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
