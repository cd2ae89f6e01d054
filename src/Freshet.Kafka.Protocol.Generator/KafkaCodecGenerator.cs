using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Freshet.Kafka.Protocol.Generator;

/// <summary>
/// The Roslyn incremental generator behind Freshet's Kafka codec: reads every <c>*.schema</c> file the
/// project lists as an AdditionalFile (one per API, format in docs/kafka-protocol.md) and adds the message
/// classes it describes to the compilation. A mistake in a schema is reported as error FKP001 at its file
/// and line, and that file generates nothing. Each file is compiled on its own, so editing one schema
/// regenerates only its classes.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class KafkaCodecGenerator : IIncrementalGenerator
{
    private static readonly DiagnosticDescriptor SchemaErrorDescriptor = new(
        id: "FKP001",
        title: "Invalid Kafka message schema",
        messageFormat: "{0}",
        category: "Freshet.Kafka.Protocol.Generator",
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var compilations = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(".schema", System.StringComparison.OrdinalIgnoreCase))
            .Select(static (file, cancellationToken) =>
            {
                var text = file.GetText(cancellationToken);
                var lines = new List<string>();
                if (text is not null)
                {
                    foreach (var line in text.Lines)
                    {
                        lines.Add(line.ToString());
                    }
                }

                return SchemaCompilation.Compile(file.Path, lines);
            });

        context.RegisterSourceOutput(compilations, static (output, compilation) =>
        {
            foreach (var error in compilation.Errors)
            {
                var span = new LinePositionSpan(new LinePosition(error.Line, error.StartColumn), new LinePosition(error.Line, error.EndColumn));
                var location = Location.Create(compilation.Path, default, span);
                output.ReportDiagnostic(Diagnostic.Create(SchemaErrorDescriptor, location, error.Message));
            }

            foreach (var source in compilation.Sources)
            {
                output.AddSource(Path.GetFileNameWithoutExtension(compilation.Path) + "." + source.Key, SourceText.From(source.Value, System.Text.Encoding.UTF8));
            }
        });
    }
}
