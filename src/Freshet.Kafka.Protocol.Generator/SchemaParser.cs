using System.Globalization;
using System.Text;
using Freshet.Kafka.Protocol.Generator.Model;

namespace Freshet.Kafka.Protocol.Generator;

/// <summary>
/// Parses one schema file (the format is described in docs/kafka-protocol.md) into an <see cref="ApiSchema"/>
/// and checks it: every name is defined once, every field has a doc line, versions lie inside the API's,
/// tagged fields only in flexible versions, defaults fit their types. Every mistake becomes a
/// <see cref="SchemaError"/> naming its line; parsing goes on after an error so one build reports them all.
/// Not thread-safe: one parser per file.
/// </summary>
internal sealed class SchemaParser
{
    private readonly IReadOnlyList<string> _lines;
    private readonly List<SchemaError> _errors = new();
    private readonly Stack<Frame> _frames = new();
    private readonly Dictionary<string, StructSchema> _defined = new(StringComparer.Ordinal);
    private readonly List<FieldSchema> _structFields = new();
    private ApiSchema? _api;

    private SchemaParser(IReadOnlyList<string> lines)
    {
        _lines = lines;
    }

    public IReadOnlyList<SchemaError> Errors => _errors;

    /// <summary>Parses <paramref name="lines"/>; the result is null when the file has no usable api line. Check <paramref name="errors"/> either way.</summary>
    public static ApiSchema? Parse(IReadOnlyList<string> lines, out IReadOnlyList<SchemaError> errors)
    {
        var parser = new SchemaParser(lines);
        var api = parser.Run();
        errors = parser.Errors;
        return api;
    }

    private ApiSchema? Run()
    {
        for (int i = 0; i < _lines.Count; i++)
        {
            string raw = _lines[i].TrimEnd();
            string trimmed = raw.TrimStart(' ');
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            try
            {
                if (trimmed[0] == '\t' || raw.IndexOf('\t') >= 0)
                {
                    throw new SchemaException("Tabs are not allowed; indent with spaces.");
                }

                ParseLine(i, raw.Length - trimmed.Length, trimmed);
            }
            catch (SchemaException e)
            {
                Error(i, e.Message);
            }
        }

        if (_api is null)
        {
            Error(0, "The file has no 'api <Name> key=<n> versions=<range> flexible=<range>' line.");
            return null;
        }

        Resolve(_api);
        return _errors.Count == 0 ? _api : null;
    }

    private void ParseLine(int line, int indent, string text)
    {
        var tokens = Tokenize(text, out string? doc);
        string keyword = tokens[0];
        if (indent == 0)
        {
            _frames.Clear();
            switch (keyword)
            {
                case "api":
                    ParseApi(tokens, doc);
                    return;
                case "request":
                case "response":
                case "struct":
                    ParseStructHeader(line, keyword, tokens, doc);
                    return;
                default:
                    throw new SchemaException($"Expected 'api', 'request', 'response' or 'struct' at the start of a line, found '{keyword}'.");
            }
        }

        while (_frames.Count > 0 && _frames.Peek().OwnerIndent >= indent)
        {
            _frames.Pop();
        }

        if (_frames.Count == 0)
        {
            throw new SchemaException("An indented line must belong to a request, response or struct.");
        }

        var frame = _frames.Peek();
        if (frame.BodyIndent < 0)
        {
            frame.BodyIndent = indent;
        }
        else if (frame.BodyIndent != indent)
        {
            throw new SchemaException($"Inconsistent indentation: the lines of {frame.Struct.Name} are indented by {frame.BodyIndent} spaces.");
        }

        var owner = frame.Struct;
        if (!owner.HasBody)
        {
            owner.HasBody = true;
            Define(owner);
        }

        switch (keyword)
        {
            case "doc":
                owner.Doc.Add(text.Length > 4 ? text.Substring(4).Trim() : "");
                break;
            case "const":
                owner.Consts.Add(ParseConst(tokens, doc));
                break;
            case "field":
                var field = ParseField(line, tokens, doc);
                foreach (var existing in owner.Fields)
                {
                    if (existing.Name == field.Name)
                    {
                        throw new SchemaException($"{owner.Name} already has a field named {field.Name}.");
                    }
                }

                owner.Fields.Add(field);
                if (field.StructName is not null)
                {
                    // The lines indented below this one, if any, define the struct in line.
                    field.Struct = new StructSchema(field.StructName, StructKind.Struct, line);
                    _structFields.Add(field);
                    _frames.Push(new Frame(indent, field.Struct));
                }

                break;
            default:
                throw new SchemaException($"Expected 'doc', 'const' or 'field', found '{keyword}'.");
        }
    }

    private void ParseApi(List<string> tokens, string? doc)
    {
        if (_api is not null)
        {
            throw new SchemaException("A schema file describes one API; this is a second 'api' line.");
        }

        if (doc is not null || tokens.Count < 2)
        {
            throw new SchemaException("Expected 'api <Name> key=<n> versions=<range> flexible=<range>'.");
        }

        string name = RequireIdentifier(tokens[1]);
        var attributes = Attributes(tokens, 2, "key", "versions", "flexible");
        if (!attributes.TryGetValue("key", out string? keyText) || !short.TryParse(keyText, NumberStyles.None, CultureInfo.InvariantCulture, out short key))
        {
            throw new SchemaException("The api line needs key=<API key>, a non-negative number.");
        }

        var versions = RequireRange(attributes, "versions", "The api line needs versions=<range>, the versions the codec implements.");
        if (versions.Highest == short.MaxValue)
        {
            throw new SchemaException("The api's versions must end at a version: write 0-9, not 0+.");
        }

        var flexible = RequireRange(attributes, "flexible", "The api line needs flexible=<range> (for example 9+), or flexible=none.");
        _api = new ApiSchema(name, key, versions, flexible);
    }

    private void ParseStructHeader(int line, string keyword, List<string> tokens, string? doc)
    {
        if (_api is null)
        {
            throw new SchemaException("The 'api' line must come first.");
        }

        if (tokens.Count != 2 || doc is not null)
        {
            throw new SchemaException($"Expected '{keyword} <ClassName>'.");
        }

        var kind = keyword switch
        {
            "request" => StructKind.Request,
            "response" => StructKind.Response,
            _ => StructKind.Struct,
        };
        var schema = new StructSchema(RequireIdentifier(tokens[1]), kind, line) { HasBody = true };
        Define(schema);
        if (kind == StructKind.Request)
        {
            _api.Request = _api.Request is null ? schema : throw new SchemaException("The file already has a request.");
        }
        else if (kind == StructKind.Response)
        {
            _api.Response = _api.Response is null ? schema : throw new SchemaException("The file already has a response.");
        }

        _frames.Push(new Frame(0, schema));
    }

    private static ConstSchema ParseConst(List<string> tokens, string? doc)
    {
        if (tokens.Count != 4 || string.IsNullOrWhiteSpace(doc))
        {
            throw new SchemaException("Expected 'const <Name> <type> <value> : <doc>'.");
        }

        var type = ParseScalarType(tokens[2]);
        if (type is PrimitiveType.Bytes or PrimitiveType.Records or PrimitiveType.Uuid or PrimitiveType.Struct)
        {
            throw new SchemaException($"A const cannot have type {tokens[2]}.");
        }

        return new ConstSchema(RequireIdentifier(tokens[1]), type, Literal(type, tokens[3]), doc!);
    }

    private FieldSchema ParseField(int line, List<string> tokens, string? doc)
    {
        if (tokens.Count < 3)
        {
            throw new SchemaException("Expected 'field <Name> <type> [versions=..] [nullable=..] [tag=..] [default=..] : <doc>'.");
        }

        if (string.IsNullOrWhiteSpace(doc))
        {
            throw new SchemaException($"Field {tokens[1]} needs a doc: end the line with ' : <what the field means>'.");
        }

        var field = new FieldSchema(RequireIdentifier(tokens[1]), line) { Doc = doc! };
        string typeText = tokens[2];
        if (typeText.StartsWith("[]", StringComparison.Ordinal))
        {
            field.IsArray = true;
            typeText = typeText.Substring(2);
        }

        field.Type = ParseScalarType(typeText);
        if (field.Type == PrimitiveType.Struct)
        {
            field.StructName = RequireIdentifier(typeText);
        }

        if (field.IsArray && field.Type is not (PrimitiveType.Struct or PrimitiveType.Int32 or PrimitiveType.Int64 or PrimitiveType.String))
        {
            throw new SchemaException($"Arrays of {typeText} are not supported; arrays hold structs, int32, int64 or string.");
        }

        var attributes = Attributes(tokens, 3, "versions", "nullable", "tag", "default");
        var all = _api!.Versions;
        var versions = attributes.ContainsKey("versions") ? RequireRange(attributes, "versions", "") : new VersionRange(0, short.MaxValue);
        field.Versions = versions.Intersect(all);
        if (field.Versions.IsEmpty)
        {
            throw new SchemaException($"Field {field.Name} exists in versions {versions}, none of which the codec implements ({all}).");
        }

        if (attributes.ContainsKey("nullable"))
        {
            if (!field.IsArray && field.Type is not (PrimitiveType.String or PrimitiveType.Bytes or PrimitiveType.Records or PrimitiveType.Struct))
            {
                throw new SchemaException($"Only strings, bytes, records, structs and arrays can be nullable; {field.Name} is {tokens[2]}.");
            }

            field.NullableVersions = RequireRange(attributes, "nullable", "").Intersect(field.Versions);
        }

        if (field.Type == PrimitiveType.Records && field.IsArray)
        {
            throw new SchemaException("A records field cannot be an array.");
        }

        if (attributes.TryGetValue("tag", out string? tagText))
        {
            if (!int.TryParse(tagText, NumberStyles.None, CultureInfo.InvariantCulture, out int tag))
            {
                throw new SchemaException($"tag={tagText} is not a non-negative number.");
            }

            if (!_api.FlexibleVersions.Contains(field.Versions))
            {
                throw new SchemaException($"Tagged field {field.Name} exists in versions {field.Versions}, but tagged fields exist only in flexible versions ({_api.FlexibleVersions}).");
            }

            if (field.Type == PrimitiveType.Records)
            {
                throw new SchemaException("A records field cannot be tagged.");
            }

            if (field.Type == PrimitiveType.Struct && !field.IsArray && !field.NullableVersions.IsEmpty)
            {
                throw new SchemaException("A tagged struct cannot be nullable: its absence already says 'default'.");
            }

            field.Tag = tag;
        }

        if (attributes.TryGetValue("default", out string? defaultText))
        {
            if (defaultText == "null")
            {
                if (!field.IsNullableProperty)
                {
                    throw new SchemaException($"Field {field.Name} defaults to null but is nullable in no version; add nullable=<range>.");
                }

                field.Default = "null";
            }
            else if (field.IsArray || field.Type is PrimitiveType.Bytes or PrimitiveType.Records or PrimitiveType.Uuid or PrimitiveType.Struct)
            {
                throw new SchemaException($"Field {field.Name} can only default to null; its other default is fixed (empty, or all zero).");
            }
            else
            {
                field.Default = Literal(field.Type, defaultText);
            }
        }

        return field;
    }

    private void Resolve(ApiSchema api)
    {
        if (api.Request is null || api.Response is null)
        {
            Error(0, $"The schema of {api.Name} needs both a 'request <ClassName>' and a 'response <ClassName>'.");
            return;
        }

        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in _structFields)
        {
            if (field.Struct!.HasBody)
            {
                continue;
            }

            if (_defined.TryGetValue(field.StructName!, out var shared) && shared.Kind == StructKind.Struct)
            {
                field.Struct = shared;
                referenced.Add(shared.Name);
            }
            else
            {
                Error(field.Line, $"Field {field.Name} has type {field.StructName}, but no struct of that name is defined (in line below the field, or as 'struct {field.StructName}').");
            }
        }

        api.Structs.Add(api.Request);
        api.Structs.Add(api.Response);
        foreach (var schema in _defined.Values)
        {
            if (!schema.IsMessage)
            {
                api.Structs.Add(schema);
            }
        }

        foreach (var schema in api.Structs)
        {
            if (schema.Doc.Count == 0)
            {
                Error(schema.Line, $"{schema.Name} needs at least one 'doc <text>' line, which becomes its XML summary.");
            }

            if (schema.Kind == StructKind.Struct && !referenced.Contains(schema.Name) && !IsInline(schema))
            {
                Error(schema.Line, $"Struct {schema.Name} is defined but no field uses it.");
            }

            var tags = new HashSet<int>();
            foreach (var field in schema.Fields)
            {
                if (field.Tag is int tag && !tags.Add(tag))
                {
                    Error(field.Line, $"{schema.Name} already has a tagged field with tag {tag}.");
                }

                if (field.Tag is not null && field.Struct is not null && !field.IsArray)
                {
                    MarkNeedsDefaultCheck(field.Struct);
                }
            }
        }
    }

    private bool IsInline(StructSchema schema)
    {
        foreach (var field in _structFields)
        {
            if (ReferenceEquals(field.Struct, schema) && field.Line == schema.Line)
            {
                return true;
            }
        }

        return false;
    }

    private static void MarkNeedsDefaultCheck(StructSchema schema)
    {
        if (schema.NeedsDefaultCheck)
        {
            return;
        }

        schema.NeedsDefaultCheck = true;
        foreach (var field in schema.Fields)
        {
            if (field.Struct is not null && !field.IsArray)
            {
                MarkNeedsDefaultCheck(field.Struct);
            }
        }
    }

    private void Define(StructSchema schema)
    {
        if (_defined.ContainsKey(schema.Name))
        {
            throw new SchemaException($"{schema.Name} is defined twice in this file.");
        }

        _defined.Add(schema.Name, schema);
    }

    private static PrimitiveType ParseScalarType(string text) => text switch
    {
        "int8" => PrimitiveType.Int8,
        "int16" => PrimitiveType.Int16,
        "int32" => PrimitiveType.Int32,
        "int64" => PrimitiveType.Int64,
        "uint16" => PrimitiveType.UInt16,
        "uint32" => PrimitiveType.UInt32,
        "float64" => PrimitiveType.Float64,
        "bool" => PrimitiveType.Bool,
        "uuid" => PrimitiveType.Uuid,
        "string" => PrimitiveType.String,
        "bytes" => PrimitiveType.Bytes,
        "records" => PrimitiveType.Records,
        _ when text.Length > 0 && char.IsUpper(text[0]) => PrimitiveType.Struct,
        _ => throw new SchemaException($"Unknown type '{text}': use int8, int16, int32, int64, uint16, uint32, float64, bool, uuid, string, bytes, records, a struct name, or [] before any of them."),
    };

    /// <summary>Checks a default or const value against its type and returns it as a C# literal.</summary>
    private static string Literal(PrimitiveType type, string text)
    {
        switch (type)
        {
            case PrimitiveType.Bool:
                return text is "true" or "false" ? text : throw new SchemaException($"'{text}' is not a bool: write true or false.");
            case PrimitiveType.String:
                if (text.Length < 2 || text[0] != '"' || text[text.Length - 1] != '"')
                {
                    throw new SchemaException($"A string value is written in double quotes; found {text}.");
                }

                return text;
            case PrimitiveType.Float64:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    ? text
                    : throw new SchemaException($"'{text}' is not a float64.");
            default:
                if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                {
                    throw new SchemaException($"'{text}' is not an integer.");
                }

                (long min, long max) = type switch
                {
                    PrimitiveType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
                    PrimitiveType.Int16 => (short.MinValue, short.MaxValue),
                    PrimitiveType.Int32 => (int.MinValue, int.MaxValue),
                    PrimitiveType.UInt16 => (ushort.MinValue, ushort.MaxValue),
                    PrimitiveType.UInt32 => (uint.MinValue, uint.MaxValue),
                    _ => (long.MinValue, long.MaxValue),
                };
                return value >= min && value <= max
                    ? value.ToString(CultureInfo.InvariantCulture)
                    : throw new SchemaException($"{text} does not fit in {type.ToString().ToLowerInvariant()}.");
        }
    }

    private static Dictionary<string, string> Attributes(List<string> tokens, int start, params string[] allowed)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = start; i < tokens.Count; i++)
        {
            int equals = tokens[i].IndexOf('=');
            if (equals <= 0)
            {
                throw new SchemaException($"Expected name=value, found '{tokens[i]}'. (A doc follows ' : '.)");
            }

            string name = tokens[i].Substring(0, equals);
            if (Array.IndexOf(allowed, name) < 0)
            {
                throw new SchemaException($"Unknown attribute '{name}'; allowed here: {string.Join(", ", allowed)}.");
            }

            if (attributes.ContainsKey(name))
            {
                throw new SchemaException($"Attribute '{name}' is given twice.");
            }

            attributes.Add(name, tokens[i].Substring(equals + 1));
        }

        return attributes;
    }

    private static VersionRange RequireRange(Dictionary<string, string> attributes, string name, string missing)
    {
        if (!attributes.TryGetValue(name, out string? text))
        {
            throw new SchemaException(missing);
        }

        return VersionRange.TryParse(text, out var range)
            ? range
            : throw new SchemaException($"{name}={text} is not a version range: write 3+, 0-4, 5 or none.");
    }

    private static string RequireIdentifier(string text)
    {
        bool valid = text.Length > 0 && text[0] >= 'A' && text[0] <= 'Z';
        foreach (char c in text)
        {
            valid &= (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        }

        return valid ? text : throw new SchemaException($"'{text}' is not a PascalCase name (letters and digits, starting with a capital).");
    }

    /// <summary>Splits a line on spaces, keeping double-quoted strings whole; the text after a lone ':' is the doc.</summary>
    private static List<string> Tokenize(string text, out string? doc)
    {
        var tokens = new List<string>();
        doc = null;
        int i = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' ') && tokens.Count > 0 && tokens[0] != "doc")
            {
                doc = text.Substring(i + 1).Trim();
                break;
            }

            var token = new StringBuilder();
            bool quoted = false;
            while (i < text.Length && (quoted || text[i] != ' '))
            {
                if (text[i] == '"')
                {
                    quoted = !quoted;
                }
                else if (quoted && text[i] == '\\' && i + 1 < text.Length)
                {
                    token.Append(text[i]);
                    i++;
                }

                token.Append(text[i]);
                i++;
            }

            if (quoted)
            {
                throw new SchemaException("A string is missing its closing double quote.");
            }

            tokens.Add(token.ToString());
            if (tokens.Count == 1 && tokens[0] == "doc")
            {
                break;
            }
        }

        return tokens;
    }

    private void Error(int line, string message)
    {
        string text = line < _lines.Count ? _lines[line] : "";
        int start = text.Length - text.TrimStart(' ').Length;
        _errors.Add(new SchemaError(line, start, Math.Max(start, text.TrimEnd().Length), message));
    }

    /// <summary>A struct whose body is being read: lines indented deeper than <see cref="OwnerIndent"/> belong to it.</summary>
    private sealed class Frame
    {
        public Frame(int ownerIndent, StructSchema schema)
        {
            OwnerIndent = ownerIndent;
            Struct = schema;
        }

        public int OwnerIndent { get; }

        public int BodyIndent { get; set; } = -1;

        public StructSchema Struct { get; }
    }
}
