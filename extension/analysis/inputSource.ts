// Where a model's input shape comes from (the file's comment, an example tensor, the user's choice, the
// default setting), and how the status bar, the hovers and Set Input Shape say it.

export type InputSource = 'comment' | 'example' | 'user' | 'setting';

/** Where an input shape comes from, in words (status bar, summary, Set Input Shape). */
export function inputSourceLabel(s: InputSource): { short: string; long: string } {
  switch (s) {
    case 'comment': return { short: 'comment', long: 'from the `# layerlens: input=` comment in the file' };
    case 'example': return { short: 'example', long: "from the example tensor passed to the model in the file" };
    case 'user': return { short: 'your choice', long: 'your choice (LayerLens: Set Input Shape; an empty shape there resets it)' };
    case 'setting': return { short: 'default', long: 'the default (setting layerlens.defaultInputShape): the file gives none' };
  }
}
