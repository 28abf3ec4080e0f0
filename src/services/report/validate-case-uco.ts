/**
 * @module validate-case-uco
 * Validates a CASE/UCO JSON-LD bundle offline: JSON-LD → RDF (jsonld, with the context inlined, so no
 * network), then SHACL (rdf-validate-shacl) against the shapes in case-uco-shapes.ttl.
 */
import { readFile } from "node:fs/promises";
import jsonld from "jsonld";
import { DataFactory, Parser, Store, type BlankNode, type Literal, type NamedNode } from "n3";
import { z } from "zod";
import SHACLValidator from "rdf-validate-shacl";

export interface CaseUcoValidation {
  conforms: boolean;
  quads: number;
  results: { focusNode: string; path: string | null; message: string }[];
}

// @types/jsonld types documents too narrowly for values built as plain objects; its output is parsed with zod.
const toRdf = jsonld.toRDF as (
  doc: object,
  opts: { documentLoader: (url: string) => Promise<never> },
) => Promise<unknown>;
const XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
const SHAPES = new URL("./case-uco-shapes.ttl", import.meta.url);

const TermSchema = z.object({
  termType: z.string(),
  value: z.string(),
  datatype: z.object({ value: z.string() }).optional(),
  language: z.string().optional(),
});
type JsonLdTerm = z.infer<typeof TermSchema>;
const QuadsSchema = z.array(z.object({ subject: TermSchema, predicate: TermSchema, object: TermSchema }));

function node(t: JsonLdTerm): NamedNode | BlankNode {
  return t.termType === "BlankNode"
    ? DataFactory.blankNode(t.value.replace(/^_:/, ""))
    : DataFactory.namedNode(t.value);
}

function object(t: JsonLdTerm): NamedNode | BlankNode | Literal {
  if (t.termType === "NamedNode" || t.termType === "BlankNode") {
    return node(t);
  }
  return DataFactory.literal(
    t.value,
    t.language ? t.language : DataFactory.namedNode(t.datatype?.value ?? XSD_STRING),
  );
}

/** Validates `doc` (a JSON-LD object with an inline @context). */
export async function validateCaseUco(doc: object): Promise<CaseUcoValidation> {
  // A document loader that refuses every remote context keeps validation offline.
  const documentLoader = (url: string): Promise<never> =>
    Promise.reject(new Error(`offline: refusing to load ${url}`));
  const raw = QuadsSchema.parse(await toRdf(doc, { documentLoader }));
  const data = new Store();
  for (const q of raw) {
    data.addQuad(
      DataFactory.quad(node(q.subject), DataFactory.namedNode(q.predicate.value), object(q.object)),
    );
  }
  const shapes = new Store(new Parser().parse(await readFile(SHAPES, "utf8")));
  const report = await new SHACLValidator(shapes).validate(data);
  return {
    conforms: report.conforms,
    quads: data.size,
    results: report.results.map((r) => ({
      focusNode: r.focusNode?.value ?? "",
      path: r.path?.value ?? null,
      message: r.message.map((m) => m.value).join("; "),
    })),
  };
}
