// ejs 6 ships no type declarations; this covers what the dashboard uses.
declare module 'ejs' {
  namespace ejs {
    type TemplateFunction = (data?: Record<string, unknown>) => string;
    function compile(template: string, options?: { filename?: string }): TemplateFunction;
  }
  export default ejs;
}
