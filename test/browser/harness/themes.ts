// VS Code's theme variables as a webview receives them (a subset: what the Inspector and
// @vscode-elements use), from the Dark Modern, Light Modern and High Contrast themes, for the harness page.
export type ThemeName = 'dark' | 'light' | 'high-contrast';

const common = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace', 'editor-font-size': '14px',
};

export const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common, foreground: '#cccccc', 'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', descriptionForeground: '#9d9d9d',
      focusBorder: '#0078d4', errorForeground: '#f85149', 'icon-foreground': '#cccccc', 'widget-shadow': '#0000005c',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
      'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#989898',
      'dropdown-background': '#313131', 'dropdown-border': '#3c3c3c', 'dropdown-foreground': '#cccccc', 'dropdown-listBackground': '#1f1f1f',
      'settings-dropdownBackground': '#313131', 'settings-dropdownBorder': '#3c3c3c', 'settings-dropdownForeground': '#cccccc', 'settings-dropdownListBorder': '#454545',
      'settings-textInputBackground': '#313131', 'settings-textInputBorder': '#3c3c3c', 'settings-textInputForeground': '#cccccc', 'settings-headerBorder': '#2b2b2b',
      'settings-checkboxBackground': '#313131', 'settings-checkboxBorder': '#3c3c3c',
      'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff', 'list-hoverBackground': '#2a2d2e',
      'list-inactiveSelectionBackground': '#37373d', 'list-focusOutline': '#0078d4', 'list-highlightForeground': '#2aaaff', 'list-focusHighlightForeground': '#2aaaff',
      'panel-background': '#181818', 'panel-border': '#2b2b2b', 'panelTitle-activeForeground': '#cccccc', 'panelTitle-activeBorder': '#0078d4', 'panelTitle-inactiveForeground': '#9d9d9d',
      'editorGroup-border': '#ffffff17', 'editorWidget-background': '#202020', 'editorWidget-border': '#454545',
      'badge-background': '#616161', 'badge-foreground': '#f8f8f8', 'progressBar-background': '#0078d4', 'charts-blue': '#3794ff',
      'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100', 'editorIndentGuide-activeBackground1': '#707070',
      'toolbar-hoverBackground': '#5a5d5e50', 'keybindingTable-rowsBackground': '#ffffff0a', 'sash-hoverBorder': '#0078d4', 'scrollbarSlider-background': '#79797966',
      'scrollbarSlider-hoverBackground': '#646464b3', 'scrollbarSlider-activeBackground': '#bfbfbf66',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common, foreground: '#3b3b3b', 'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', descriptionForeground: '#5f5f5f',
      focusBorder: '#005fb8', errorForeground: '#f85149', 'icon-foreground': '#3b3b3b', 'widget-shadow': '#00000029',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
      'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
      'dropdown-background': '#ffffff', 'dropdown-border': '#cecece', 'dropdown-foreground': '#3b3b3b', 'dropdown-listBackground': '#ffffff',
      'settings-dropdownBackground': '#ffffff', 'settings-dropdownBorder': '#cecece', 'settings-dropdownForeground': '#3b3b3b', 'settings-dropdownListBorder': '#c8c8c8',
      'settings-textInputBackground': '#ffffff', 'settings-textInputBorder': '#cecece', 'settings-textInputForeground': '#3b3b3b', 'settings-headerBorder': '#e5e5e5',
      'settings-checkboxBackground': '#f8f8f8', 'settings-checkboxBorder': '#cecece',
      'list-activeSelectionBackground': '#e8e8e8', 'list-activeSelectionForeground': '#000000', 'list-hoverBackground': '#f2f2f2',
      'list-inactiveSelectionBackground': '#e4e6f1', 'list-focusOutline': '#005fb8', 'list-highlightForeground': '#0066bf', 'list-focusHighlightForeground': '#0066bf',
      'panel-background': '#f8f8f8', 'panel-border': '#e5e5e5', 'panelTitle-activeForeground': '#3b3b3b', 'panelTitle-activeBorder': '#005fb8', 'panelTitle-inactiveForeground': '#3b3b3b',
      'editorGroup-border': '#e5e5e5', 'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#c8c8c8',
      'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b', 'progressBar-background': '#005fb8', 'charts-blue': '#1a85ff',
      'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100', 'editorIndentGuide-activeBackground1': '#939393',
      'toolbar-hoverBackground': '#b8b8b850', 'keybindingTable-rowsBackground': '#0000000a', 'sash-hoverBorder': '#005fb8', 'scrollbarSlider-background': '#64646466',
      'scrollbarSlider-hoverBackground': '#646464b3', 'scrollbarSlider-activeBackground': '#00000099',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common, foreground: '#ffffff', 'editor-background': '#000000', 'editor-foreground': '#ffffff', descriptionForeground: '#ffffffb3',
      focusBorder: '#f38518', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518', errorForeground: '#f48771', 'icon-foreground': '#ffffff',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
      'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df',
      'dropdown-background': '#000000', 'dropdown-border': '#6fc3df', 'dropdown-foreground': '#ffffff', 'dropdown-listBackground': '#000000',
      'settings-dropdownBackground': '#000000', 'settings-dropdownBorder': '#6fc3df', 'settings-dropdownForeground': '#ffffff', 'settings-dropdownListBorder': '#6fc3df',
      'settings-textInputBackground': '#000000', 'settings-textInputBorder': '#6fc3df', 'settings-textInputForeground': '#ffffff', 'settings-headerBorder': '#6fc3df',
      'list-activeSelectionBackground': '#000000', 'list-activeSelectionForeground': '#ffffff', 'list-hoverBackground': '#000000', 'list-focusOutline': '#f38518',
      'list-inactiveSelectionBackground': '#000000', 'panel-background': '#000000', 'panel-border': '#6fc3df', 'editorGroup-border': '#6fc3df',
      'editorWidget-background': '#0c141f', 'editorWidget-border': '#6fc3df', 'badge-background': '#000000', 'badge-foreground': '#ffffff',
      'progressBar-background': '#6fc3df', 'charts-blue': '#3794ff', 'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#be1100',
      'editorIndentGuide-activeBackground1': '#ffffff', 'keybindingTable-rowsBackground': '#00000000',
    },
  },
};

/** The `style` VS Code puts on the webview's <html>: every variable as `--vscode-<name>`. */
export function themeStyle(t: ThemeName): string {
  return Object.entries(THEMES[t].vars).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
}
