// Every command LayerLens contributes, by one name: code refers to CommandId.x, never to the string.
// test/extension/commandIds.test.ts checks this table against package.json's contributes.commands.
export const CommandId = {
  openInspector: 'layerlens.openInspector',
  showSummary: 'layerlens.showSummary',
  showSummaryText: 'layerlens.showSummaryText',
  setInputShape: 'layerlens.setInputShape',
  selectModel: 'layerlens.selectModel',
  copySummaryAsMarkdown: 'layerlens.copySummaryAsMarkdown',
  copySummaryAsCsv: 'layerlens.copySummaryAsCsv',
  copySummaryAsJson: 'layerlens.copySummaryAsJson',
  statusMenu: 'layerlens.statusMenu',
  openExample: 'layerlens.openExample',
} as const;
export type CommandId = (typeof CommandId)[keyof typeof CommandId];
